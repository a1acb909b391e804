namespace Causeloop.Api.Contracts;

/// <summary>What the portal link covers and allows; every field optional.</summary>
public sealed record CreatePortalSessionRequest(
    List<Guid>? WebhookIds = null, List<Guid>? ConnectorIds = null, List<string>? Capabilities = null, int? ExpiresIn = null);
