namespace Causeloop.Application.Inbound.ReceiveInboundEvent;

public sealed record InboundReceipt(Guid Id, bool Duplicate);
