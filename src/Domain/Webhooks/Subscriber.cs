namespace Causeloop.Domain.Webhooks;

/// <summary>An outbound webhook as the fan-out sees it: whether it is enabled and the event types it subscribes to.</summary>
public sealed record Subscriber(Guid Id, bool Enabled, IReadOnlyList<string> EventTypes);
