namespace Causeloop.Application.Abstractions;

/// <summary>Where the portal lives: the base URL of its links (<c>Causeloop:PublicBaseUrl</c>, else the request's).</summary>
public interface IPortalUrls
{
    string Link(string token);
}
