namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// What the recording locked: the attempts' webhooks (absent: deleted) and the deliveries whose lease the attempts still
/// hold (a lease taken over by another instance is that instance's to record).
/// </summary>
public sealed record RecordingSnapshot(IReadOnlyDictionary<Guid, WebhookSnapshot> Webhooks, IReadOnlySet<Guid> LeasesHeld);
