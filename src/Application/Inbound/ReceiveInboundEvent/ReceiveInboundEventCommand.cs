using Causeloop.Application.Abstractions;
using Mediator;

namespace Causeloop.Application.Inbound.ReceiveInboundEvent;

/// <summary>
/// A source system's request, exactly as received: the route's connector id, the raw body bytes, and every value
/// of the signature header (any one that verifies is enough), and the caller's address (for the rejection limits).
/// </summary>
public sealed record ReceiveInboundEventCommand(
    string ConnectorId,
    byte[] Body,
    IReadOnlyList<string?> Signatures,
    string? EventId,
    string? ContentType,
    string? UserAgent,
    string? RemoteAddress = null) : ICommand<InboundReceipt>, ISystemMessage, ICommitsItself;
