namespace Causeloop.Api.Contracts;

public sealed record IdResponse(Guid Id);
