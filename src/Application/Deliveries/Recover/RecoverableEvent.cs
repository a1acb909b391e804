namespace Causeloop.Application.Deliveries.Recover;

/// <summary>An event a recover would send again.</summary>
public sealed record RecoverableEvent(Guid EventId, string Type, DateTime CreatedAt);
