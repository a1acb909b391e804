namespace Causeloop.Application.Common;

/// <summary>The resource does not exist, or belongs to another workspace (answered alike: 404).</summary>
public sealed class NotFoundException(string resource) : Exception($"The {resource} was not found."), IRejection
{
    public string Resource { get; } = resource;
}
