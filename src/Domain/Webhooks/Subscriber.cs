namespace Causeloop.Domain.Webhooks;

/// <summary>
/// An outbound webhook as the fan-out sees it: whether it is enabled, the event types it subscribes to, and its payload
/// filter (null: every event of those types).
/// </summary>
public sealed record Subscriber(Guid Id, bool Enabled, IReadOnlyList<string> EventTypes, Filters.PayloadFilter? Filter = null);
