using Causeloop.Domain.Deliveries;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Domain.Webhooks;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Causeloop.Infrastructure.Delivery;

/// <summary>
/// The worker's SQL. Every step is one short transaction, safe with several instances on one database:
/// rows are claimed with <c>FOR UPDATE SKIP LOCKED</c> and a lease, and results are written only by the
/// holder of the lease.
/// </summary>
public sealed class DeliveryWorkStore(NpgsqlDataSource dataSource, RederivableWork rederivable) : IDeliveryWorkStore
{
    /// <summary>
    /// <see cref="EventTypeFilter.Matches"/> in SQL, over a webhook <c>w</c> and an event <c>e</c>, so the fan-out can
    /// filter in the database; a test holds it to the domain rule for every kind of subscription.
    /// </summary>
    /// <summary>The first key of the advisory locks that serialise claims per webhook (two-key form, so it cannot clash with the migrator's lock).</summary>
    public const int ClaimLockSpace = 0x434c4d;

    public const string SubscribedSql =
        "(w.event_types @> array[e.type] or (w.event_types @> array['*'] and e.type not in ('endpoint.failing', 'endpoint.disabled', 'endpoint.enabled', 'message.attempt.exhausted', 'message.attempt.recovered')))";

    /// <summary>Turns up to <paramref name="batch"/> outbox events into deliveries; returns how many events it took.</summary>
    public async Task<int> FanOutAsync(DateTime now, int batch, CancellationToken cancellationToken)
    {
        // One statement, so one transaction: take events off the outbox, insert one delivery per enabled
        // outbound webhook of the workspace subscribed to the type (or the one target of a test send).
        const string sql = $"""
            with claimed as (
                select event_id from outbox
                order by created_at
                limit @batch
                for update skip locked
            ), taken as (
                delete from outbox o using claimed c where o.event_id = c.event_id
                returning o.event_id, o.workspace_id
            ), inserted as (
                insert into deliveries (id, workspace_id, webhook_id, event_id, status, next_attempt_at, created_at, updated_at)
                select uuidv7(@now), e.workspace_id, w.id, e.id, 'pending', @now, @now, @now
                from taken t
                join events e on e.id = t.event_id and e.workspace_id = t.workspace_id
                join webhooks w on w.workspace_id = e.workspace_id and w.direction = 'outbound'
                 and case when e.target_webhook_id is not null then w.id = e.target_webhook_id
                          else w.enabled and {SubscribedSql} and w.id is distinct from e.subject_webhook_id end
                returning 1
            )
            select (select count(*) from taken)::int
            """;
        await using var connection = await rederivable.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { now, batch }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Leases up to <paramref name="limit"/> due deliveries (pending, failed and due, or in flight with an
    /// expired lease) of enabled webhooks, at most <paramref name="perEndpoint"/> in flight per webhook, or the
    /// webhook's own limit in <paramref name="endpointLimits"/> (adapted to how it answers).
    /// Candidates are taken per webhook, oldest first, so a slow endpoint's backlog never hides the others'.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(
        DateTime now, int limit, int perEndpoint, EndpointLimits endpointLimits, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpointLimits);
        // Driven by what is waiting, not by the number of webhooks: a loose index scan finds the webhooks that
        // have unfinished deliveries (one index probe each), so idle webhooks and finished rows cost nothing.
        const string candidates = """
            with recursive active(webhook_id) as (
                (select webhook_id from deliveries
                 where status in ('pending', 'failed', 'in_flight')
                 order by webhook_id limit 1)
                union all
                select (select d.webhook_id from deliveries d
                        where d.status in ('pending', 'failed', 'in_flight') and d.webhook_id > a.webhook_id
                        order by d.webhook_id limit 1)
                from active a
                where a.webhook_id is not null
            )
            select x.id, w.id as webhook_id
            from active a
            join webhooks w on w.id = a.webhook_id
            left join unnest(@limitIds, @limits) as l(webhook_id, n) on l.webhook_id = w.id
            cross join lateral (
                select count(*)::int as n from deliveries f
                where f.webhook_id = w.id and f.status = 'in_flight' and f.locked_until >= @now
            ) busy
            cross join lateral (
                select d.id, d.next_attempt_at
                from deliveries d
                where d.webhook_id = w.id
                  and d.status in ('pending', 'failed', 'in_flight')
                  and d.next_attempt_at <= @now
                  and (d.status <> 'in_flight' or d.locked_until < @now)
                order by d.next_attempt_at
                limit greatest(coalesce(l.n, @perEndpoint) - busy.n, 0)
            ) x
            where w.enabled and w.direction = 'outbound'
            order by x.next_attempt_at
            limit @limit
            """;
        // Under the webhooks' locks, with a fresh snapshot: recount what is in flight (another instance may have
        // leased since the candidates were read) and take only what each webhook's limit still allows.
        const string lease = """
            with busy as (
                select f.webhook_id, count(*)::int as n from deliveries f
                where f.webhook_id = any(@webhookIds) and f.status = 'in_flight' and f.locked_until >= @now
                group by f.webhook_id
            ), ranked as (
                select d.id, d.webhook_id, row_number() over (partition by d.webhook_id order by d.next_attempt_at) as rn
                from deliveries d
                where d.id = any(@ids)
                  and d.status in ('pending', 'failed', 'in_flight')
                  and d.next_attempt_at <= @now
                  and (d.status <> 'in_flight' or d.locked_until < @now)
            ), allowed as (
                select r.id from ranked r
                left join busy b on b.webhook_id = r.webhook_id
                left join unnest(@limitIds, @limits) as l(webhook_id, n) on l.webhook_id = r.webhook_id
                where r.rn <= coalesce(l.n, @perEndpoint) - coalesce(b.n, 0)
            ), locked as (
                select id from deliveries
                where id in (select id from allowed)
                for update skip locked
            ), leased as (
                update deliveries d
                set status = 'in_flight', locked_until = @leaseUntil, lease_token = @token,
                    attempt_count = d.attempt_count + 1, updated_at = @now
                from locked
                where d.id = locked.id
                returning d.id, d.workspace_id, d.webhook_id, d.event_id, d.attempt_count
            )
            select l.id, l.workspace_id, l.webhook_id, l.event_id, e.type as event_type, e.body, l.attempt_count as attempt,
                   @token as lease_token, w.url, w.secret, w.previous_secret, w.previous_secret_expires_at, e.trace_parent
            from leased l
            join events e on e.id = l.event_id and e.workspace_id = l.workspace_id
            join webhooks w on w.id = l.webhook_id and w.workspace_id = l.workspace_id
            """;

        await using var connection = await rederivable.DataSource.OpenConnectionAsync(cancellationToken);
        var candidatesFound = (await connection.QueryAsync<(Guid Id, Guid WebhookId)>(new CommandDefinition(
            candidates, new { now, perEndpoint, limit, limitIds = endpointLimits.WebhookIds, limits = endpointLimits.Limits },
            cancellationToken: cancellationToken))).ToArray();
        if (candidatesFound.Length == 0)
        {
            return [];
        }

        // Per-endpoint limits hold across instances: claims for one webhook are serialised by a transaction-scoped
        // advisory lock (taken in a fixed order, so two instances cannot deadlock), and the lease recounts under it
        // with a fresh snapshot. Both statements go in one round trip, one implicit transaction.
        var webhookIds = candidatesFound.Select(c => c.WebhookId).Distinct().ToArray();
        const string lockThenLease = $"""
            select count(pg_advisory_xact_lock(@lockSpace, k.key))::int
            from (select distinct hashtext(id::text) as key from unnest(@webhookIds) as t(id) order by 1) k;
            {lease}
            """;
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            lockThenLease,
            new
            {
                ids = candidatesFound.Select(c => c.Id).ToArray(), webhookIds, now, leaseUntil, token = Guid.NewGuid(), perEndpoint,
                limitIds = endpointLimits.WebhookIds, limits = endpointLimits.Limits, lockSpace = ClaimLockSpace,
            },
            cancellationToken: cancellationToken));
        await results.ReadSingleAsync<int>();
        var claimed = await results.ReadAsync<ClaimedDelivery>();
        return claimed.AsList();
    }

    public Task<IReadOnlyList<AttemptOutcome>> RecordAsync(
        IReadOnlyList<FinishedAttempt> attempts,
        Func<IReadOnlyDictionary<Guid, WebhookState>, IReadOnlyList<AttemptOutcome>> decide,
        Func<IReadOnlyList<AttemptOutcome>, WebhookChanges> consequences,
        DateTime now,
        CancellationToken cancellationToken) =>
        Persistence.DatabaseErrors.TranslateAsync(() => RecordInTransactionAsync(attempts, decide, consequences, now, cancellationToken));

    private async Task<IReadOnlyList<AttemptOutcome>> RecordInTransactionAsync(
        IReadOnlyList<FinishedAttempt> attempts,
        Func<IReadOnlyDictionary<Guid, WebhookState>, IReadOnlyList<AttemptOutcome>> decide,
        Func<IReadOnlyList<AttemptOutcome>, WebhookChanges> consequences,
        DateTime now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(decide);
        ArgumentNullException.ThrowIfNull(consequences);
        if (attempts.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var states = new Dictionary<Guid, WebhookState>();
        await using (var read = new NpgsqlCommand("""
            select w.id, w.failing_since, w.consecutive_failures, w.failing_alerted, w.exhausted_alerted_at, w.recovery_owed, w.url, w.enabled
            from unnest(@ids, @workspaces) as t(id, workspace_id)
            join webhooks w on w.id = t.id and w.workspace_id = t.workspace_id
            """, connection, transaction))
        {
            var webhooks = attempts.Select(a => (a.Delivery.WebhookId, a.Delivery.WorkspaceId)).Distinct().ToArray();
            read.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", webhooks.Select(w => w.WebhookId).ToArray()));
            read.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", webhooks.Select(w => w.WorkspaceId).ToArray()));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var health = new EndpointHealth(
                    reader.GetInt32(2),
                    reader.GetBoolean(3),
                    reader.IsDBNull(4) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc)),
                    reader.GetBoolean(5));
                states[reader.GetGuid(0)] = new WebhookState(
                    reader.IsDBNull(1) ? null : DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc),
                    health,
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.GetBoolean(7));
            }
        }

        var decided = decide(states);
        await using (var insert = new NpgsqlCommand("""
            insert into delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, status_code, response_body, error)
            select * from unnest(@deliveryIds, @attempts, @workspaces, @startedAt, @durations, @statusCodes, @bodies, @errors)
            on conflict (delivery_id, attempt) do nothing
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<Guid[]>("deliveryIds", decided.Select(d => d.Attempt.Delivery.Id).ToArray()));
            insert.Parameters.Add(new NpgsqlParameter<int[]>("attempts", decided.Select(d => d.Attempt.Delivery.Attempt).ToArray()));
            insert.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", decided.Select(d => d.Attempt.Delivery.WorkspaceId).ToArray()));
            insert.Parameters.Add(new NpgsqlParameter("startedAt", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = decided.Select(d => d.Attempt.Record.StartedAt).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter<int[]>("durations", decided.Select(d => d.Attempt.Record.DurationMs).ToArray()));
            insert.Parameters.Add(new NpgsqlParameter("statusCodes", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = decided.Select(d => d.Attempt.Record.Result.StatusCode).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = decided.Select(d => d.Attempt.Record.ResponseBody).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = decided.Select(d => d.Attempt.Record.Result.Error).ToArray() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        var written = new HashSet<Guid>();
        await using (var update = new NpgsqlCommand("""
            update deliveries d
            set status = t.status, next_attempt_at = t.next_attempt_at, locked_until = null, lease_token = null,
                last_status_code = t.status_code, last_error = t.error, updated_at = @now
            from unnest(@ids, @workspaces, @tokens, @statuses, @next, @statusCodes, @errors)
                 as t(id, workspace_id, lease_token, status, next_attempt_at, status_code, error)
            where d.id = t.id and d.workspace_id = t.workspace_id and d.lease_token = t.lease_token
            returning d.id
            """, connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", decided.Select(d => d.Attempt.Delivery.Id).ToArray()));
            update.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", decided.Select(d => d.Attempt.Delivery.WorkspaceId).ToArray()));
            update.Parameters.Add(new NpgsqlParameter<Guid[]>("tokens", decided.Select(d => d.Attempt.Delivery.LeaseToken).ToArray()));
            update.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = decided.Select(d => d.Decision.Status).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = decided.Select(d => d.Decision.NextAttemptAt?.UtcDateTime).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("statusCodes", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = decided.Select(d => d.Attempt.Record.Result.StatusCode).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = decided.Select(d => d.Attempt.Record.Result.Error).ToArray() });
            update.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                written.Add(reader.GetGuid(0));
            }
        }

        // Only deliveries whose lease was still held count; one taken over is the new holder's to record.
        var recorded = decided.Where(d => written.Contains(d.Attempt.Delivery.Id)).ToArray();
        var changes = consequences(recorded);
        var workspaces = attempts.Select(a => a.Delivery).DistinctBy(d => d.WebhookId).ToDictionary(d => d.WebhookId, d => d.WorkspaceId);
        if (changes.StreaksEnded.Count > 0)
        {
            await using var command = new NpgsqlCommand("""
                update webhooks w set failing_since = null
                from unnest(@ids, @workspaces) as t(id, workspace_id)
                where w.id = t.id and w.workspace_id = t.workspace_id and w.failing_since is not null
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. changes.StreaksEnded]));
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", changes.StreaksEnded.Select(id => workspaces[id]).ToArray()));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (changes.StreaksBegun.Count > 0)
        {
            // Set once per streak (coalesce) by one atomic statement; no row lock is held across the batch.
            await using var command = new NpgsqlCommand("""
                update webhooks w set failing_since = coalesce(w.failing_since, t.since)
                from unnest(@ids, @workspaces, @since) as t(id, workspace_id, since) where w.id = t.id and w.workspace_id = t.workspace_id
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", changes.StreaksBegun.Select(f => f.WebhookId).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", changes.StreaksBegun.Select(f => workspaces[f.WebhookId]).ToArray()));
            command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = changes.StreaksBegun.Select(f => f.Since).ToArray() });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (changes.Disabled.Count > 0)
        {
            await using var command = new NpgsqlCommand("""
                update webhooks w set enabled = false, disabled_reason = t.reason, updated_at = @now
                from unnest(@ids, @workspaces, @reasons) as t(id, workspace_id, reason)
                where w.id = t.id and w.workspace_id = t.workspace_id and w.enabled
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", changes.Disabled.Select(d => d.WebhookId).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", changes.Disabled.Select(d => workspaces[d.WebhookId]).ToArray()));
            command.Parameters.Add(new NpgsqlParameter("reasons", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changes.Disabled.Select(d => d.Reason).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (changes.Health is { Count: > 0 } healths)
        {
            await using var command = new NpgsqlCommand("""
                update webhooks w set consecutive_failures = t.failures, failing_alerted = t.alerted,
                                      exhausted_alerted_at = t.exhausted_at, recovery_owed = t.owed
                from unnest(@ids, @workspaces, @failures, @alerted, @exhaustedAt, @owed) as t(id, workspace_id, failures, alerted, exhausted_at, owed)
                where w.id = t.id and w.workspace_id = t.workspace_id
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", healths.Select(h => h.WebhookId).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", healths.Select(h => workspaces[h.WebhookId]).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<int[]>("failures", healths.Select(h => h.Health.ConsecutiveFailures).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<bool[]>("alerted", healths.Select(h => h.Health.FailingAlerted).ToArray()));
            command.Parameters.Add(new NpgsqlParameter("exhaustedAt", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                Value = healths.Select(h => (object?)h.Health.ExhaustedAlertedAt?.UtcDateTime ?? DBNull.Value).ToArray(),
            });
            command.Parameters.Add(new NpgsqlParameter<bool[]>("owed", healths.Select(h => h.Health.RecoveryOwed).ToArray()));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (changes.Alerts is { Count: > 0 } alerts)
        {
            // The operational events go through the outbox in this same transaction: never lost, never twice.
            await using var command = new NpgsqlCommand($"""
                with inserted as (
                    insert into events (id, workspace_id, type, body, subject_webhook_id, created_at)
                    select * from unnest(@ids, @workspaces, @types, @bodies, @subjects, @createdAt)
                    returning id, workspace_id, created_at
                ), queued as (
                    insert into outbox (event_id, workspace_id, created_at) select id, workspace_id, created_at from inserted
                )
                select count(*) from (select pg_notify('{Outbox.PostgresOutbox.Channel}', '') from inserted) notified
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", alerts.Select(a => a.Id).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", alerts.Select(a => a.WorkspaceId).ToArray()));
            command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = alerts.Select(a => a.Type).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = alerts.Select(a => a.Body).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("subjects", NpgsqlDbType.Array | NpgsqlDbType.Uuid)
            {
                Value = alerts.Select(a => (object?)a.SubjectWebhookId ?? DBNull.Value).ToArray(),
            });
            command.Parameters.Add(new NpgsqlParameter("createdAt", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = alerts.Select(a => a.CreatedAt).ToArray() });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return recorded;
    }
}
