using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Persistence;
using Dapper;
using Npgsql;

namespace Causeloop.Infrastructure.Deliveries;

/// <summary>
/// The claim's SQL. Candidates are read per webhook, driven by what is waiting (a loose index scan finds the webhooks with
/// unfinished deliveries; a webhook with nothing due costs one more index probe), each webhook's oldest first, within its
/// free slots. The scan goes round the webhooks from where the last claim stopped and stops when it has enough, so a claim
/// costs what it takes, not what is waiting in all, and every webhook gets its turn. Each webhook is read by its key
/// (a lateral <c>limit 1</c>), so the prepared statement's generic plan cannot hash the whole webhooks table instead. Then, under transaction-scoped advisory locks
/// per webhook (taken in a fixed order, so two instances cannot deadlock) and with a fresh snapshot, the slots and a
/// rate-limited webhook's tokens are counted again, the candidates still due when their rows are locked are leased, and
/// each lease spends a token (the lock makes the bucket's read and write one step across instances). Leases commit without waiting for the WAL
/// flush (ADR 0006) and end on the database's clock.
/// </summary>
public sealed class ClaimStore(RederivableWork rederivable) : IClaimStore
{
    /// <summary>The first key of the advisory locks that serialise claims per webhook (two-key form, so it cannot clash with the migrator's lock).</summary>
    public const int ClaimLockSpace = 0x434c4d;

    private static readonly string CandidatesSql = $"""
        {DeliverySql.ActiveWebhooks}
        select x.id, w.id as webhook_id
        from active a
        cross join lateral (
            select * from webhooks w where w.id = a.webhook_id and w.enabled and w.direction = {DeliverySql.Outbound} limit 1) w
        left join rate_buckets rb on rb.webhook_id = w.id
        left join unnest(@limitIds, @limits) as l(webhook_id, n) on l.webhook_id = w.id
        cross join lateral (select count(*)::int as n from deliveries f where f.webhook_id = w.id and {DeliverySql.UnderWay}) busy
        cross join lateral (
            select d.id, d.next_attempt_at
            from deliveries d
            where d.webhook_id = w.id and {DeliverySql.Due} and {DeliverySql.KeyHead}
            order by d.next_attempt_at
            limit greatest(least(coalesce(l.n, @perEndpoint) - busy.n, {DeliverySql.RateMayStart}), 0)
        ) x
        where a.webhook_id is not null
          and exists (select 1 from deliveries d where d.webhook_id = a.webhook_id and {DeliverySql.Due})
        limit @limit
        """;

    private const string LockSql = """
        select count(pg_advisory_xact_lock(@lockSpace, k.key))::int
        from (select distinct hashtext(id::text) as key from unnest(@webhookIds) as t(id) order by 1) k
        """;

    // The due predicates are repeated in `locked`, under the row lock: a delivery cancelled or finished after this
    // statement's snapshot is re-read there in its newest version and left alone. Every row is reached by its id (the
    // primary key), never through the due index (DeliverySql.DueFound says why), and `picked`, `busy` and `allowed` are
    // materialized so that each runs once. Each leased row's event and webhook are read by key (lateral `limit 1`): as
    // plain joins, the generic plan of the prepared statement scanned the events table once per leased row.
    private static readonly string LeaseSql = $"""
        with picked as materialized (
            select * from deliveries where id = any(@ids)
        ), busy as materialized (
            select f.webhook_id, count(*)::int as n from deliveries f
            where f.webhook_id = any(@webhookIds) and {DeliverySql.UnderWay}
            group by f.webhook_id
        ), ranked as (
            select d.id, d.webhook_id, row_number() over (partition by d.webhook_id order by d.next_attempt_at) as rn
            from picked d
            where {DeliverySql.DueFound} and {DeliverySql.KeyHead}
        ), allowed as materialized (
            select r.id from ranked r
            join webhooks w on w.id = r.webhook_id
            left join rate_buckets rb on rb.webhook_id = w.id
            left join busy b on b.webhook_id = r.webhook_id
            left join unnest(@limitIds, @limits) as l(webhook_id, n) on l.webhook_id = r.webhook_id
            where r.rn <= least(coalesce(l.n, @perEndpoint) - coalesce(b.n, 0), {DeliverySql.RateMayStart})
        ), locked as (
            select x.id from allowed a
            cross join lateral (
                select d.id from deliveries d
                where d.id = a.id and {DeliverySql.DueFound} and {DeliverySql.KeyHead}
                for update skip locked) x
        ), leased as (
            update deliveries d
            set status = {DeliverySql.InFlight}, locked_until = now() + @lease, lease_token = @token,
                attempt_count = d.attempt_count + 1, updated_at = @now
            from locked
            where d.id = locked.id
            returning d.id, d.workspace_id, d.webhook_id, d.event_id, d.attempt_count
        ), spent as (
            -- Each start spends a token of its webhook's bucket (RateLimit.AfterStarting); runs whether read or not.
            insert into rate_buckets (webhook_id, tokens, refilled_at)
            select w.id, {DeliverySql.RateAvailable} - s.n, now()
            from (select webhook_id, count(*)::int as n from leased group by webhook_id) s
            join webhooks w on w.id = s.webhook_id
            left join rate_buckets rb on rb.webhook_id = w.id
            where w.rate_limit is not null
            on conflict (webhook_id) do update set tokens = excluded.tokens, refilled_at = excluded.refilled_at
        )
        select l.id, l.workspace_id, l.webhook_id, l.event_id, e.type as event_type, e.body, l.attempt_count as attempt,
               @token as lease_token, w.url, w.secret, w.previous_secret, w.previous_secret_expires_at, e.trace_parent, e.ordering_key,
               w.headers, w.auth::text as auth, w.auth_secret
        from leased l
        cross join lateral (select * from events e where e.id = l.event_id and e.workspace_id = l.workspace_id limit 1) e
        cross join lateral (select * from webhooks w where w.id = l.webhook_id and w.workspace_id = l.workspace_id limit 1) w
        """;

    private Guid _next = Guid.Empty;

    private static readonly string ExtendSql = $"""
        update deliveries d set locked_until = now() + @lease
        from unnest(@ids, @tokens) as t(id, token)
        where d.id = t.id and d.lease_token = t.token and d.status = {DeliverySql.InFlight}
        returning d.id
        """;

    public Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken) =>
        DatabaseErrors.TranslateAsync(() => ClaimOnceAsync(request, cancellationToken));

    public Task<IReadOnlyList<Guid>> ExtendAsync(IReadOnlyList<HeldLease> leases, TimeSpan lease, CancellationToken cancellationToken) =>
        DatabaseErrors.TranslateAsync(async () =>
        {
            await using var connection = await rederivable.DataSource.OpenConnectionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection);
            var extend = new NpgsqlBatchCommand(ExtendSql);
            extend.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. leases.Select(l => l.DeliveryId)]));
            extend.Parameters.Add(new NpgsqlParameter<Guid[]>("tokens", [.. leases.Select(l => l.Token)]));
            extend.Parameters.Add(new NpgsqlParameter<TimeSpan>("lease", lease));
            batch.BatchCommands.Add(RederivableWork.AsyncCommit());
            batch.BatchCommands.Add(extend);
            await rederivable.PrepareAsync(batch, cancellationToken);
            await using var results = await batch.ExecuteReaderAsync(cancellationToken);
            await results.NextResultAsync(cancellationToken);
            return (IReadOnlyList<Guid>)results.Parse<Guid>().AsList();
        });

    private async Task<IReadOnlyList<ClaimedDelivery>> ClaimOnceAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await rederivable.DataSource.OpenConnectionAsync(cancellationToken);
        var from = _next;
        var candidates = await CandidatesAsync(connection, request, from, request.Limit, cancellationToken);
        if (candidates.Count < request.Limit && from != Guid.Empty)
        {
            // Round the end: the webhooks before where this scan started.
            var more = await CandidatesAsync(connection, request, Guid.Empty, request.Limit - candidates.Count, cancellationToken);
            candidates.AddRange(more.Where(m => !candidates.Any(c => c.Id == m.Id)));
        }

        // The next claim starts after the last webhook this one took from (or from the start when this one saw them all).
        _next = candidates.Count >= request.Limit ? candidates[^1].WebhookId : Guid.Empty;
        if (candidates.Count == 0)
        {
            return [];
        }

        // The advisory locks and the lease in one round trip, one implicit transaction (committed without waiting for the
        // WAL flush).
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(RederivableWork.AsyncCommit());
        AddLease(batch, request, candidates);
        await rederivable.PrepareAsync(batch, cancellationToken);
        await using var results = await batch.ExecuteReaderAsync(cancellationToken);
        await results.NextResultAsync(cancellationToken);
        await results.NextResultAsync(cancellationToken);
        return results.Parse<ClaimedDelivery>().AsList();
    }

    /// <summary>
    /// Adds the lease of <paramref name="candidates"/> to <paramref name="batch"/>, in the claim's rules: two commands, the
    /// per-webhook advisory locks and the lease, whose result is the leased <see cref="ClaimedDelivery"/> rows. Used by the
    /// claim and by the fan-out, which leases the deliveries it has just made in its own transaction.
    /// </summary>
    internal static void AddLease(NpgsqlBatch batch, ClaimRequest request, IReadOnlyCollection<(Guid Id, Guid WebhookId)> candidates)
    {
        var webhookIds = candidates.Select(c => c.WebhookId).Distinct().ToArray();
        var locks = new NpgsqlBatchCommand(LockSql);
        locks.Parameters.Add(new NpgsqlParameter<int>("lockSpace", ClaimLockSpace));
        locks.Parameters.Add(new NpgsqlParameter<Guid[]>("webhookIds", webhookIds));
        var lease = new NpgsqlBatchCommand(LeaseSql);
        AddLimits(lease.Parameters, request);
        lease.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. candidates.Select(c => c.Id)]));
        lease.Parameters.Add(new NpgsqlParameter<Guid[]>("webhookIds", webhookIds));
        lease.Parameters.Add(new NpgsqlParameter<Guid>("token", Guid.NewGuid()));
        lease.Parameters.Add(new NpgsqlParameter<TimeSpan>("lease", request.Lease));
        batch.BatchCommands.Add(locks);
        batch.BatchCommands.Add(lease);
    }

    private async Task<List<(Guid Id, Guid WebhookId)>> CandidatesAsync(
        NpgsqlConnection connection, ClaimRequest request, Guid from, int limit, CancellationToken cancellationToken)
    {
        var candidates = new List<(Guid Id, Guid WebhookId)>();
        await using var command = new NpgsqlCommand(CandidatesSql, connection);
        AddLimits(command.Parameters, request);
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        command.Parameters.Add(new NpgsqlParameter<Guid>("from", from));
        await rederivable.PrepareAsync(command, cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            candidates.Add((reader.GetGuid(0), reader.GetGuid(1)));
        }

        return candidates;
    }

    private static void AddLimits(NpgsqlParameterCollection parameters, ClaimRequest request)
    {
        parameters.Add(new NpgsqlParameter("now", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = request.Now });
        parameters.Add(new NpgsqlParameter<int>("perEndpoint", request.PerEndpoint));
        parameters.Add(new NpgsqlParameter<Guid[]>("limitIds", request.EndpointLimits.WebhookIds));
        parameters.Add(new NpgsqlParameter<int[]>("limits", request.EndpointLimits.Limits));
    }
}
