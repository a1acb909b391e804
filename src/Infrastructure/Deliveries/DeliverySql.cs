using Causeloop.Domain.Deliveries;
using Causeloop.Domain.Webhooks;
using Npgsql;

namespace Causeloop.Infrastructure.Deliveries;

/// <summary>
/// The SQL the delivery queries share, written once. The domain's statuses and directions appear in it as literals
/// rendered from the domain's constants (<see cref="Unfinished"/>, <see cref="InFlight"/>, <see cref="Outbound"/>), never
/// typed by hand: the partial indexes the claim relies on name those values, and only a literal lets a prepared
/// statement's generic plan use them (a parameter hides the value from the planner, which then scans). Statements
/// that are not prepared may still pass them as parameters (<see cref="Parameters"/>). A test holds each fragment to the
/// domain rule it stands for.
/// </summary>
public static class DeliverySql
{
    /// <summary><see cref="DeliveryStatus.Unfinished"/> as an SQL list: <c>('pending', 'in_flight', 'failed')</c>.</summary>
    public static readonly string Unfinished = $"({string.Join(", ", DeliveryStatus.Unfinished.Select(Literal))})";

    /// <summary><see cref="DeliveryStatus.InFlight"/> as an SQL literal.</summary>
    public static readonly string InFlight = Literal(DeliveryStatus.InFlight);

    /// <summary><see cref="WebhookDirection.Outbound"/> as an SQL literal.</summary>
    public static readonly string Outbound = Literal(WebhookDirection.Outbound);

    /// <summary>
    /// <see cref="Delivery.IsDue"/> over a delivery <c>d</c>: unfinished, its next attempt due at <c>@now</c> (the service's
    /// clock, which schedules), and, in flight, its lease expired on the database's clock.
    /// </summary>
    public static readonly string Due = $"(d.status in {Unfinished} and d.next_attempt_at <= @now and (d.status <> {InFlight} or coalesce(d.locked_until < now(), true)))";

    /// <summary>
    /// <see cref="Due"/> for a delivery <c>d</c> already found by its id: the same rule, written so that no index on the due
    /// time can serve it. Deliveries made a moment ago lie past the planner's statistics, so it takes the due index for
    /// nearly empty and, offered it, scanned it for every row instead of fetching each by its key (33 s for 233 leases
    /// beside 100,000 retries due tomorrow).
    /// </summary>
    public static readonly string DueFound = $"(d.status in {Unfinished} and (d.next_attempt_at - @now) <= interval '0' and (d.status <> {InFlight} or coalesce(d.locked_until < now(), true)))";

    /// <summary>
    /// A webhook <c>w</c> whose stored subscription can match one of <c>@types</c>
    /// (<see cref="Subscription.CandidateTypes"/>): a storage-level narrowing; <see cref="Subscription.Delivers"/> decides.
    /// </summary>
    public const string SubscriptionCandidate = "(w.event_types && @types)";

    /// <summary>
    /// <see cref="OrderingKey.MayStart"/> over a delivery <c>d</c>: no key, or nothing earlier of its key holds it — no
    /// unfinished delivery to the same webhook of an earlier event of the key, and no earlier event of the key still in the
    /// outbox (its delivery may be about to exist).
    /// </summary>
    public static readonly string KeyHead = $"""
        (d.ordering_key is null or (
            not exists (select 1 from deliveries k
                        where k.webhook_id = d.webhook_id and k.ordering_key = d.ordering_key and k.status in {Unfinished}
                          and k.event_seq < d.event_seq)
            and not exists (select 1 from outbox o
                            where o.workspace_id = d.workspace_id and o.ordering_key = d.ordering_key and o.event_seq < d.event_seq)))
        """;

    /// <summary>
    /// <see cref="RateLimit.Available"/> for a rate-limited webhook <c>w</c> and its bucket <c>rb</c> (left-joined from
    /// <c>rate_buckets</c>; none is a full bucket), on the database's clock, which every instance shares.
    /// </summary>
    public const string RateAvailable = """
        least(w.rate_limit::float8,
              coalesce(rb.tokens + w.rate_limit * greatest(extract(epoch from (now() - rb.refilled_at))::float8, 0), w.rate_limit::float8))
        """;

    /// <summary><see cref="RateLimit.MayStart"/> over webhook <c>w</c> and its bucket <c>rb</c>: how many deliveries may start now.</summary>
    public const string RateMayStart = $"(case when w.rate_limit is null then 2147483647 else floor({RateAvailable})::int end)";

    /// <summary>A delivery <c>f</c> under way: leased, and its lease not expired.</summary>
    public static readonly string UnderWay = $"(f.status = {InFlight} and f.locked_until >= now())";

    /// <summary>
    /// <see cref="DeliveryStatus.Pending"/> and <see cref="DeliveryStatus.InFlight"/> as an SQL list: the unfinished
    /// deliveries that are not waiting for a retry (the predicate of <c>deliveries_fresh_by_webhook</c>).
    /// </summary>
    public static readonly string NewOrUnderWay = $"({Literal(DeliveryStatus.Pending)}, {Literal(DeliveryStatus.InFlight)})";

    /// <summary><see cref="DeliveryStatus.Failed"/> (waiting for a retry) as an SQL literal (the predicate of <c>deliveries_retry_due</c>).</summary>
    public static readonly string WaitingForRetry = Literal(DeliveryStatus.Failed);

    /// <summary>
    /// <c>active(webhook_id)</c>: the webhooks that may have a due delivery, in id order after <c>@from</c>, found by a loose
    /// index scan (one index probe per webhook), so queries driven by it cost nothing for idle webhooks and finished rows;
    /// it is read lazily, so a query with a limit stops the scan when it has enough. Its rows may include null.
    /// <para>
    /// A delivery waiting for a retry is due only once its time has come. So one probe first asks whether any retry is
    /// due at <c>@now</c> (<c>deliveries_retry_due</c>). If none is, only the webhooks with new or leased deliveries are
    /// visited (<c>deliveries_fresh_by_webhook</c>), however many retries wait for later; otherwise every webhook with
    /// unfinished deliveries is (<c>deliveries_due_by_webhook</c>). Both probes read the statement's one snapshot, so a
    /// webhook with a due delivery is always among those visited.
    /// </para>
    /// </summary>
    public static readonly string ActiveWebhooks = $"""
        with recursive retry_due(due) as (
            select exists (select 1 from deliveries where status = {WaitingForRetry} and next_attempt_at <= @now)
        ), {LooseScan("unfinished", Unfinished, "(select due from retry_due)")},
        {LooseScan("fresh", NewOrUnderWay, "not (select due from retry_due)")},
        active(webhook_id) as (
            select webhook_id from unfinished
            union all
            select webhook_id from fresh
        )
        """;

    /// <summary>The domain's statuses and direction as parameters, for the statements that name them so.</summary>
    public static NpgsqlParameter[] Parameters() =>
    [
        new NpgsqlParameter<string[]>("unfinished", [.. DeliveryStatus.Unfinished]),
        new NpgsqlParameter<string>("inFlight", DeliveryStatus.InFlight),
        new NpgsqlParameter<string>("outbound", WebhookDirection.Outbound),
    ];

    /// <summary>
    /// <c>name(webhook_id)</c>: the webhooks with deliveries in <paramref name="statuses"/>, in id order after <c>@from</c>,
    /// by a loose index scan (one probe per webhook; its last row is null), and none at all unless <paramref name="gate"/>.
    /// </summary>
    private static string LooseScan(string name, string statuses, string gate) => $"""
        {name}(webhook_id) as (
            (select webhook_id from deliveries
             where status in {statuses} and webhook_id > @from and {gate}
             order by webhook_id limit 1)
            union all
            select (select d.webhook_id from deliveries d
                    where d.status in {statuses} and d.webhook_id > a.webhook_id
                    order by d.webhook_id limit 1)
            from {name} a
            where a.webhook_id is not null
        )
        """;

    /// <summary>A domain constant as an SQL string literal.</summary>
    private static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
