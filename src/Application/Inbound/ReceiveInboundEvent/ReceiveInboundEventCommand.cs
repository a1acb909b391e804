using Causeloop.Application.Abstractions;
using Mediator;

namespace Causeloop.Application.Inbound.ReceiveInboundEvent;

/// <summary>A source system's request, exactly as received: the route's connector id and the raw body bytes.</summary>
public sealed record ReceiveInboundEventCommand(
    string ConnectorId,
    byte[] Body,
    string? Signature,
    string? EventId,
    string? ContentType,
    string? UserAgent) : ICommand<InboundReceipt>, ISystemMessage, ICommitsItself;
