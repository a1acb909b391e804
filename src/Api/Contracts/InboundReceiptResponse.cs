namespace Causeloop.Api.Contracts;

public sealed record InboundReceiptResponse(Guid Id, bool Duplicate);
