using Causeloop.Application.Abstractions;
using Causeloop.Domain.Inbound;
using Mediator;

namespace Causeloop.Application.Inbound.ReceiveInboundEvent;

/// <summary>
/// A source system's request, exactly as received: the route's connector id, the body (read by the handler only
/// once the connector is known to be live), the headers, and what the rejection log records of the caller.
/// </summary>
public sealed record ReceiveInboundEventCommand(
    string ConnectorId,
    IInboundBody Body,
    InboundHeaders Headers,
    string? ContentType = null,
    string? UserAgent = null,
    string? RemoteAddress = null) : ICommand<InboundReceipt>, ISystemMessage, ICommitsItself;
