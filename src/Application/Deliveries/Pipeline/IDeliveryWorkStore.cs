namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// The delivery pipeline's storage: only SQL lives behind it. Every method is safe with several instances on
/// one database (rows are taken with <c>FOR UPDATE SKIP LOCKED</c> and leases; results are written only by
/// the holder of the lease). The decisions are the application's and the domain's, passed in.
/// </summary>
public interface IDeliveryWorkStore
{
    /// <summary>
    /// Takes up to <paramref name="batch"/> events off the outbox and creates one pending delivery per outbound
    /// webhook that <see cref="Domain.Webhooks.EventTypeFilter.Matches"/> (enabled and subscribed, or the one
    /// target of a test send); returns how many events it took.
    /// </summary>
    Task<int> FanOutAsync(DateTime now, int batch, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="limit"/> due deliveries (pending, failed and due, or in flight with an expired
    /// lease) of enabled outbound webhooks, at most <paramref name="perEndpoint"/> in flight per webhook or that
    /// webhook's own limit in <paramref name="endpointLimits"/>, taken per webhook, oldest first.
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(
        DateTime now, int limit, int perEndpoint, EndpointLimits endpointLimits, DateTime leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: reads the state of each attempt's webhook (absent: the webhook was deleted),
    /// lets <paramref name="decide"/> choose each attempt's outcome, writes the attempts and the deliveries whose
    /// lease is still held, then writes what <paramref name="consequences"/> derives from the outcomes written.
    /// Returns those outcomes.
    /// </summary>
    Task<IReadOnlyList<AttemptOutcome>> RecordAsync(
        IReadOnlyList<FinishedAttempt> attempts,
        Func<IReadOnlyDictionary<Guid, WebhookState>, IReadOnlyList<AttemptOutcome>> decide,
        Func<IReadOnlyList<AttemptOutcome>, WebhookChanges> consequences,
        DateTime now,
        CancellationToken cancellationToken);
}

/// <summary>An attempt that has ended and waits to be recorded.</summary>
public sealed record FinishedAttempt(ClaimedDelivery Delivery, AttemptRecord Record);

/// <summary>An attempt and the state its delivery moves to.</summary>
public sealed record AttemptOutcome(FinishedAttempt Attempt, Domain.Deliveries.DeliveryDecision Decision);

/// <summary>
/// What recorded attempts change on their webhooks: streaks ended, streaks begun, webhooks disabled, the alert
/// rules' new state, and the operational events to enqueue (in the same transaction).
/// </summary>
public sealed record WebhookChanges(
    IReadOnlyList<Guid> StreaksEnded,
    IReadOnlyList<(Guid WebhookId, DateTime Since)> StreaksBegun,
    IReadOnlyList<(Guid WebhookId, string Reason)> Disabled,
    IReadOnlyList<(Guid WebhookId, Domain.Deliveries.EndpointHealth Health)>? Health = null,
    IReadOnlyList<Abstractions.OutboxEvent>? Alerts = null);

/// <summary>A webhook as the recording of its attempts sees it: its failing streak, the alert rules' state, its URL and whether it is enabled.</summary>
public sealed record WebhookState(DateTime? FailingSince, Domain.Deliveries.EndpointHealth Health, string? Url, bool Enabled)
{
    public static WebhookState Since(DateTime? failingSince) => new(failingSince, Domain.Deliveries.EndpointHealth.Healthy, null, true);
}

/// <summary>Per-webhook concurrency limits that differ from the default, as parallel arrays for the claim query.</summary>
public sealed record EndpointLimits(Guid[] WebhookIds, int[] Limits)
{
    public static readonly EndpointLimits None = new([], []);
}

/// <summary>Sends one attempt over HTTP, signed, outside any transaction.</summary>
public interface IAttemptSender
{
    Task<AttemptRecord> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken);
}
