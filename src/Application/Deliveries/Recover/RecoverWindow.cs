namespace Causeloop.Application.Deliveries.Recover;

/// <summary>What a recover looks at: events created in <c>[Since, Until)</c>, of <see cref="EventTypes"/> only when not null.</summary>
public sealed record RecoverWindow(DateTime Since, DateTime Until, string[]? EventTypes);
