namespace Causeloop.Application.Inbound;

/// <summary>The enabled inbound webhook of a live connector, with its encrypted secrets.</summary>
public sealed record InboundEndpoint(
    Guid WorkspaceId,
    Guid ConnectorId,
    byte[] Secret,
    byte[]? PreviousSecret,
    DateTime? PreviousSecretExpiresAt);
