namespace Causeloop.Api.Contracts;

/// <summary>How many fresh deliveries a recover created.</summary>
public sealed record RecoverResponse(int Count);
