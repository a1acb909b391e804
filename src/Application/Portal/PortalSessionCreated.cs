namespace Causeloop.Application.Portal;

/// <summary>The answer of <c>POST /v1/portal/sessions</c>: the link holds the one-time token in its fragment.</summary>
public sealed record PortalSessionCreated(Guid Id, string Url, DateTime ExpiresAt);
