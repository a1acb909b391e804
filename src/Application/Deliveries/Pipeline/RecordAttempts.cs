using Causeloop.Domain.Deliveries;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// Records finished attempts: each delivery's next state as <see cref="Delivery.RecordAttempt"/> decides it (a
/// deleted webhook's delivery is cancelled), carrying each webhook's failing streak through the batch in the
/// order the attempts started, and what that changes on the webhooks.
/// </summary>
public sealed class RecordAttempts(IDeliveryWorkStore queue, DeliveryOptions options, TimeProvider time)
{
    private readonly RetrySchedule _schedule = options.Schedule();

    public Task<IReadOnlyList<AttemptOutcome>> RecordAsync(IReadOnlyList<FinishedAttempt> attempts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return queue.RecordAsync(attempts, streaks => Decide(attempts, streaks, now), Consequences, now.UtcDateTime, cancellationToken);
    }

    public IReadOnlyList<AttemptOutcome> Decide(IReadOnlyList<FinishedAttempt> attempts, IReadOnlyDictionary<Guid, DateTime?> failingSince, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(failingSince);
        var streaks = failingSince.ToDictionary();
        return attempts.OrderBy(a => a.Record.StartedAt).Select(a =>
        {
            if (!streaks.TryGetValue(a.Delivery.WebhookId, out var since))
            {
                return new AttemptOutcome(a, Delivery.WebhookGone());
            }

            var decision = Delivery.RecordAttempt(
                a.Delivery.Attempt, a.Record.Result, now, _schedule,
                since is { } s ? new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) : null, options.DisableAfter);
            streaks[a.Delivery.WebhookId] = a.Record.Result.IsSuccess ? null : since ?? a.Record.StartedAt;
            return new AttemptOutcome(a, decision);
        }).ToArray();
    }

    /// <summary>
    /// Per webhook, from the outcomes written: a success that is its latest attempt ends its streak; failures
    /// after it begin one (at the first of them); a decision to disable disables it.
    /// </summary>
    public static WebhookChanges Consequences(IReadOnlyList<AttemptOutcome> written)
    {
        ArgumentNullException.ThrowIfNull(written);
        var live = written.Where(o => o.Decision.Status != DeliveryStatus.Cancelled).ToArray();
        var ended = new List<Guid>();
        var begun = new List<(Guid, DateTime)>();
        foreach (var webhook in live.GroupBy(o => o.Attempt.Delivery.WebhookId))
        {
            var ordered = webhook.OrderBy(o => o.Attempt.Record.StartedAt).ToArray();
            var lastSuccess = Array.FindLastIndex(ordered, o => o.Attempt.Record.Result.IsSuccess);
            if (lastSuccess >= 0)
            {
                ended.Add(webhook.Key);
            }

            if (lastSuccess < ordered.Length - 1)
            {
                begun.Add((webhook.Key, ordered[lastSuccess + 1].Attempt.Record.StartedAt));
            }
        }

        var disabled = live.Where(o => o.Decision.DisableWebhookReason is not null)
            .GroupBy(o => o.Attempt.Delivery.WebhookId)
            .Select(g => (g.Key, g.First().Decision.DisableWebhookReason!))
            .ToArray();
        return new WebhookChanges(ended, begun, disabled);
    }
}
