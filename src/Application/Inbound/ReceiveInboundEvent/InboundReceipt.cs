namespace Causeloop.Application.Inbound.ReceiveInboundEvent;

/// <summary>
/// The answer to an accepted request: the stored event's id (the first one's for a duplicate), or, for Slack's
/// <c>url_verification</c> handshake, the challenge to echo (nothing stored).
/// </summary>
public sealed record InboundReceipt(Guid Id, bool Duplicate, string? Challenge = null);
