namespace Causeloop.Application.Inbound;

/// <summary>
/// One refused inbound request of a known connector, as its owner reads it in the rejection log: never the body,
/// the signature or a secret; the body's SHA-256 lets the owner match it against what the sender logged.
/// </summary>
public sealed record InboundRejection(
    Guid Id,
    Guid WorkspaceId,
    Guid ConnectorId,
    DateTime ReceivedAt,
    string Reason,
    string? RemoteAddress,
    string? UserAgent,
    long? ContentLength,
    string? BodySha256);

public sealed record InboundRejectionDto(
    DateTime ReceivedAt,
    string Reason,
    string? RemoteAddress,
    string? UserAgent,
    long? ContentLength,
    string? BodySha256);
