namespace Causeloop.Application.Inbound;

/// <summary>
/// A live connector, found by id alone (the caller has no API key), with its kind and, when it has an enabled inbound
/// webhook, the webhook's encrypted secrets. <see cref="Secret"/> is null when there is none (rejected: <c>no_secret</c>).
/// </summary>
public sealed record InboundEndpoint(
    Guid WorkspaceId,
    Guid ConnectorId,
    string Kind,
    byte[]? Secret,
    byte[]? PreviousSecret,
    DateTime? PreviousSecretExpiresAt);
