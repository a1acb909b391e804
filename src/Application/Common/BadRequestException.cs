namespace Causeloop.Application.Common;

/// <summary>A request that is well-formed JSON but cannot be accepted; carries field → messages like a validation error.</summary>
public sealed class BadRequestException(string field, string message) : Exception(message), IRejection
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = new Dictionary<string, string[]> { [field] = [message] };
}
