using Causeloop.Application.Abstractions;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// What a batch of finished attempts writes: every attempt to the log, the next state of each delivery whose lease was
/// still held, the webhooks' health, and the operational events (through the outbox, in the same transaction).
/// </summary>
public sealed record RecordedChanges(
    IReadOnlyList<FinishedAttempt> Attempts,
    IReadOnlyList<AttemptOutcome> Outcomes,
    IReadOnlyList<WebhookHealthChange> Webhooks,
    IReadOnlyList<OutboxEvent> Events);
