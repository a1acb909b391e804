namespace Causeloop.Application.Abstractions;

/// <summary>
/// A message a portal session (§12) may send beyond reading, and the capability it needs for it (<c>manage</c> or
/// <c>secrets</c>), checked by the pipeline with the message's scope. A portal session cannot send a message that needs
/// more than reading and names no capability; an API key is not concerned (its scopes decide).
/// </summary>
public interface IRequirePortalCapability
{
    static abstract string RequiredCapability { get; }
}
