using Causeloop.Domain.Deliveries;
using Dapper;
using Npgsql;

namespace Causeloop.Infrastructure.Delivery;

/// <summary>
/// The worker's SQL. Every step is one short transaction, safe with several instances on one database:
/// rows are claimed with <c>FOR UPDATE SKIP LOCKED</c> and a lease, and results are written only by the
/// holder of the lease.
/// </summary>
public sealed class DeliveryWorkStore(NpgsqlDataSource dataSource)
{
    private sealed class WebhookState
    {
        public DateTime? FailingSince { get; set; }
    }

    /// <summary>Turns up to <paramref name="batch"/> outbox events into deliveries; returns how many events it took.</summary>
    public async Task<int> FanOutAsync(DateTime now, int batch, CancellationToken cancellationToken)
    {
        // One statement, so one transaction: claim unprocessed events, insert one delivery per enabled
        // outbound webhook of the workspace subscribed to the type (or the one target of a test send),
        // and mark the events processed.
        const string sql = """
            with claimed as (
                select id, workspace_id, type, target_webhook_id
                from events
                where processed_at is null
                order by created_at
                limit @batch
                for update skip locked
            ), inserted as (
                insert into deliveries (id, workspace_id, webhook_id, event_id, status, next_attempt_at, created_at, updated_at)
                select uuidv7(@now), e.workspace_id, w.id, e.id, 'pending', @now, @now, @now
                from claimed e
                join webhooks w on w.workspace_id = e.workspace_id and w.direction = 'outbound'
                 and case when e.target_webhook_id is not null then w.id = e.target_webhook_id
                          else w.enabled and (w.event_types @> array[e.type] or w.event_types @> array['*']) end
                returning 1
            ), marked as (
                update events set processed_at = @now where id in (select id from claimed) returning 1
            )
            select (select count(*) from marked)::int
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { now, batch }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Leases up to <paramref name="limit"/> due deliveries (pending, failed and due, or in flight with an
    /// expired lease) of enabled webhooks, at most <paramref name="perEndpoint"/> in flight per webhook.
    /// Candidates are taken per webhook, oldest first, so a slow endpoint's backlog never hides the others'.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(DateTime now, int limit, int perEndpoint, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        const string candidates = """
            select x.id
            from webhooks w
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
                limit greatest(@perEndpoint - busy.n, 0)
            ) x
            where w.enabled and w.direction = 'outbound'
            order by x.next_attempt_at
            limit @limit
            """;
        const string lease = """
            with locked as (
                select id from deliveries
                where id = any(@ids)
                  and status in ('pending', 'failed', 'in_flight')
                  and next_attempt_at <= @now
                  and (status <> 'in_flight' or locked_until < @now)
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
                   @token as lease_token, w.url, w.secret, w.previous_secret, w.previous_secret_expires_at
            from leased l
            join events e on e.id = l.event_id
            join webhooks w on w.id = l.webhook_id
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(
            candidates, new { now, perEndpoint, limit }, cancellationToken: cancellationToken))).ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        // One statement: lock what no other instance holds, lease it, and read what the attempt needs.
        var claimed = await connection.QueryAsync<ClaimedDelivery>(new CommandDefinition(
            lease, new { ids, now, leaseUntil, token = Guid.NewGuid() }, cancellationToken: cancellationToken));
        return claimed.AsList();
    }

    /// <summary>
    /// Records the attempt and moves the delivery to the state the domain decides; disables the webhook
    /// when the domain says so. Written only while this worker still holds the lease.
    /// </summary>
    public async Task<DeliveryDecision> RecordAsync(ClaimedDelivery delivery, AttemptRecord attempt, RetrySchedule schedule, TimeSpan disableAfter, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(attempt);
        const string insertAttempt = """
            insert into delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, status_code, response_body, error)
            values (@deliveryId, @attempt, @workspaceId, @startedAt, @durationMs, @statusCode, @responseBody, @error)
            on conflict (delivery_id, attempt) do nothing
            """;
        // No row lock: attempts to one webhook run side by side, and failing_since is only ever set once
        // (coalesce) or cleared, each by a single atomic UPDATE below.
        const string readWebhook = "select failing_since from webhooks where id = @webhookId and workspace_id = @workspaceId";
        const string updateDelivery = """
            update deliveries
            set status = @status, next_attempt_at = @next, locked_until = null, lease_token = null,
                last_status_code = @statusCode, last_error = @error, updated_at = @now
            where id = @deliveryId and lease_token = @token
            """;
        const string failed = "update webhooks set failing_since = coalesce(failing_since, @startedAt) where id = @webhookId";
        const string disable = """
            update webhooks set enabled = false, disabled_reason = @reason, updated_at = @now
            where id = @webhookId and enabled
            """;

        // The common case in one round trip: a success does not depend on the webhook's history.
        const string recordSuccess = """
            with attempt as (
                insert into delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, status_code, response_body, error)
                values (@deliveryId, @attempt, @workspaceId, @startedAt, @durationMs, @statusCode, @responseBody, @error)
                on conflict (delivery_id, attempt) do nothing
            ), updated as (
                update deliveries
                set status = @status, next_attempt_at = null, locked_until = null, lease_token = null,
                    last_status_code = @statusCode, last_error = null, updated_at = @now
                where id = @deliveryId and lease_token = @token
                returning webhook_id
            )
            update webhooks set failing_since = null
            where id in (select webhook_id from updated) and failing_since is not null
            """;

        var result = attempt.Result;
        var attemptRow = new
        {
            deliveryId = delivery.Id,
            attempt = delivery.Attempt,
            workspaceId = delivery.WorkspaceId,
            startedAt = attempt.StartedAt,
            durationMs = attempt.DurationMs,
            statusCode = result.StatusCode,
            responseBody = attempt.ResponseBody,
            error = result.Error,
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (result.IsSuccess)
        {
            var success = Domain.Deliveries.Delivery.RecordAttempt(
                delivery.Attempt, result, new DateTimeOffset(now, TimeSpan.Zero), schedule, failingSince: null, disableAfter);
            await connection.ExecuteAsync(new CommandDefinition(recordSuccess, new
            {
                attemptRow.deliveryId,
                attemptRow.attempt,
                attemptRow.workspaceId,
                attemptRow.startedAt,
                attemptRow.durationMs,
                attemptRow.statusCode,
                attemptRow.responseBody,
                attemptRow.error,
                status = success.Status,
                now,
                token = delivery.LeaseToken,
            }, cancellationToken: cancellationToken));
            return success;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(insertAttempt, attemptRow, transaction, cancellationToken: cancellationToken));

        var webhook = await connection.QuerySingleOrDefaultAsync<WebhookState>(new CommandDefinition(
            readWebhook, new { webhookId = delivery.WebhookId, workspaceId = delivery.WorkspaceId }, transaction, cancellationToken: cancellationToken));
        var decision = webhook is null
            ? new DeliveryDecision(DeliveryStatus.Cancelled, null, null)
            : Domain.Deliveries.Delivery.RecordAttempt(
                delivery.Attempt, result, new DateTimeOffset(now, TimeSpan.Zero), schedule,
                webhook?.FailingSince is { } since ? new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)) : null, disableAfter);

        var written = await connection.ExecuteAsync(new CommandDefinition(updateDelivery, new
        {
            status = decision.Status,
            next = decision.NextAttemptAt?.UtcDateTime,
            statusCode = result.StatusCode,
            error = result.Error,
            now,
            deliveryId = delivery.Id,
            token = delivery.LeaseToken,
        }, transaction, cancellationToken: cancellationToken));

        if (written == 1 && webhook is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                failed, new { webhookId = delivery.WebhookId, startedAt = attempt.StartedAt }, transaction, cancellationToken: cancellationToken));
            if (decision.DisableWebhookReason is { } reason)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    disable, new { webhookId = delivery.WebhookId, reason, now }, transaction, cancellationToken: cancellationToken));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return decision;
    }
}
