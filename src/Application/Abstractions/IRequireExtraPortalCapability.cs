namespace Causeloop.Application.Abstractions;

/// <summary>
/// A message that, with some content, needs one more portal capability than its type names
/// (<see cref="IRequirePortalCapability"/>): changing a webhook's headers or auth is a change of its secrets, so it needs
/// <c>secrets</c> as well as <c>manage</c>. Checked by the pipeline right after the type's capability; null: nothing more.
/// </summary>
public interface IRequireExtraPortalCapability
{
    string? ExtraCapability { get; }
}
