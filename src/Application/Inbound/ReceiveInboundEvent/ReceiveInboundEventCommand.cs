using Causeloop.Application.Abstractions;
using Causeloop.Domain.Inbound;
using Mediator;

namespace Causeloop.Application.Inbound.ReceiveInboundEvent;

/// <summary>
/// A source system's request, exactly as received: the route's connector id, the raw body bytes (null when the body
/// was over the limit), the headers, and what the rejection log records of the caller.
/// </summary>
public sealed record ReceiveInboundEventCommand(
    string ConnectorId,
    byte[]? Body,
    InboundHeaders Headers,
    string? ContentType = null,
    string? UserAgent = null,
    string? RemoteAddress = null,
    long? ContentLength = null) : ICommand<InboundReceipt>, ISystemMessage, ICommitsItself;
