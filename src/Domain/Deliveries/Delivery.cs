namespace Causeloop.Domain.Deliveries;

/// <summary>The delivery state machine: what an attempt's result means. The worker only carries it out.</summary>
public static class Delivery
{
    public static readonly TimeSpan DefaultDisableAfter = TimeSpan.FromDays(5);

    /// <summary>The statuses a recover starts from: a delivery that ended dead.</summary>
    public static IReadOnlyList<string> RecoveredFrom { get; } = [DeliveryStatus.Dead];

    /// <summary>An event with a delivery in one of these to the webhook is not recovered: it is still on its way, or it arrived.</summary>
    public static IReadOnlyList<string> RecoveryBlockedBy { get; } = [DeliveryStatus.Pending, DeliveryStatus.InFlight, DeliveryStatus.Failed, DeliveryStatus.Succeeded];

    /// <summary>
    /// Whether an event may be recovered for a webhook (SPEC §11), given the statuses of all its deliveries to that
    /// webhook: one ended dead, and none is unfinished or succeeded (cancelled ones do not count).
    /// </summary>
    public static bool IsRecoverable(IReadOnlyCollection<string> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return statuses.Any(RecoveredFrom.Contains) && !statuses.Any(RecoveryBlockedBy.Contains);
    }

    /// <summary>
    /// Whether a delivery may be leased now: unfinished, its next attempt due, and, when it is in flight, its lease
    /// expired (its worker died or lost it). Leases run on the database's clock, schedules on the service's.
    /// </summary>
    public static bool IsDue(string status, DateTimeOffset? nextAttemptAt, bool leaseExpired, DateTimeOffset now) =>
        DeliveryStatus.Unfinished.Contains(status) && nextAttemptAt <= now && (status != DeliveryStatus.InFlight || leaseExpired);

    /// <summary>The attempt's webhook was deleted meanwhile: its delivery is cancelled, whatever the answer.</summary>
    public static DeliveryDecision WebhookGone() => new(DeliveryStatus.Cancelled, null, null);

    /// <param name="attempt">The number of the attempt that just ended (1-based).</param>
    /// <param name="result">What the attempt came to.</param>
    /// <param name="now">When it ended.</param>
    /// <param name="schedule">The retry schedule in force.</param>
    /// <param name="failingSince">Since when every delivery to the webhook has failed (null: the last one succeeded).</param>
    /// <param name="disableAfter">How long a webhook may fail throughout before it is disabled.</param>
    public static DeliveryDecision RecordAttempt(
        int attempt,
        AttemptResult result,
        DateTimeOffset now,
        RetrySchedule schedule,
        DateTimeOffset? failingSince,
        TimeSpan disableAfter)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(schedule);

        if (result.IsSuccess)
        {
            return new DeliveryDecision(DeliveryStatus.Succeeded, null, null);
        }

        if (result.IsGone)
        {
            return new DeliveryDecision(DeliveryStatus.Dead, null, "The endpoint answered 410 Gone.");
        }

        var disable = failingSince is { } since && now - since >= disableAfter
            ? $"Every delivery has failed since {since:yyyy-MM-ddTHH:mm:ssZ}."
            : null;

        var next = schedule.NextAttemptAt(attempt, now, result.RetryAfter);
        return next is null || disable is not null
            ? new DeliveryDecision(DeliveryStatus.Dead, null, disable)
            : new DeliveryDecision(DeliveryStatus.Failed, next, null);
    }
}
