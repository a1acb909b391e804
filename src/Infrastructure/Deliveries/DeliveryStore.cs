using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Deliveries;
using Causeloop.Application.Deliveries.Recover;
using Causeloop.Domain.Deliveries;
using Causeloop.Infrastructure.Outbox;
using Delivery = Causeloop.Domain.Deliveries.Delivery;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Deliveries;

/// <summary>The delivery log for the API: list, detail, cancel on delete, redeliver.</summary>
public sealed class DeliveryStore(DbSession session) : IDeliveryStore
{
    private const string Columns = """
        d.id, d.webhook_id, d.event_id, e.type as event_type, d.status, d.attempt_count, d.next_attempt_at,
        d.last_status_code, d.last_error, d.created_at, d.updated_at, e.ordering_key
        """;

    public async Task CancelUnfinishedAsync(Guid workspaceId, Guid webhookId, DateTime now, CancellationToken cancellationToken)
    {
        // In-flight ones too: an attempt under way still finishes and its attempt is logged, but its lease is gone, so the
        // delivery stays cancelled; and one whose worker died is not left in flight with nothing to ever claim it.
        const string sql = """
            update deliveries set status = @cancelled, next_attempt_at = null, locked_until = null, lease_token = null, updated_at = @now
            where workspace_id = @workspaceId and webhook_id = @webhookId and status = any(@unfinished)
            """;
        await session.ExecuteAsync(
            sql, new { workspaceId, webhookId, now, cancelled = DeliveryStatus.Cancelled, unfinished = DeliveryStatus.Unfinished.ToArray() }, cancellationToken);
    }

    public Task<byte[]?> EventBodyAsync(Guid workspaceId, Guid eventId, CancellationToken cancellationToken) =>
        session.ScalarAsync<byte[]?>("select body from events where workspace_id = @workspaceId and id = @eventId", new { workspaceId, eventId }, cancellationToken);

    public Task<IReadOnlyList<DeliveryDto>> ListAsync(
        Guid workspaceId, Guid webhookId, string? status, PageRequest page, CancellationToken cancellationToken,
        string? eventType = null, DateTime? createdFrom = null, DateTime? createdBefore = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        const string sql = $"""
            select {Columns}
            from deliveries d join events e on e.id = d.event_id and e.workspace_id = d.workspace_id
            where d.workspace_id = @workspaceId and d.webhook_id = @webhookId
              and (@status::text is null or d.status = @status)
              and (@eventType::text is null or e.type = @eventType)
              and (@from::timestamptz is null or d.created_at >= @from)
              and (@to::timestamptz is null or d.created_at < @to)
              and (@after::uuid is null or d.id < @after)
            order by d.id desc
            limit @take
            """;
        return session.ListAsync<DeliveryDto>(sql, new { workspaceId, webhookId, status, eventType, from = createdFrom, to = createdBefore, after = page.After, take = page.Limit + 1 }, cancellationToken);
    }

    public Task<DeliveryDto?> GetAsync(Guid workspaceId, Guid webhookId, Guid deliveryId, CancellationToken cancellationToken)
    {
        const string sql = $"""
            select {Columns}
            from deliveries d join events e on e.id = d.event_id and e.workspace_id = d.workspace_id
            where d.workspace_id = @workspaceId and d.webhook_id = @webhookId and d.id = @deliveryId
            """;
        return session.SingleOrDefaultAsync<DeliveryDto>(sql, new { workspaceId, webhookId, deliveryId }, cancellationToken);
    }

    public Task<IReadOnlyList<DeliveryAttemptDto>> ListAttemptsAsync(Guid workspaceId, Guid deliveryId, CancellationToken cancellationToken)
    {
        const string sql = """
            select attempt, started_at, duration_ms, status_code, response_body, error
            from delivery_attempts
            where workspace_id = @workspaceId and delivery_id = @deliveryId
            order by attempt
            """;
        return session.ListAsync<DeliveryAttemptDto>(sql, new { workspaceId, deliveryId }, cancellationToken);
    }

    public async Task InsertAsync(Guid workspaceId, Guid deliveryId, Guid webhookId, Guid eventId, DateTime now, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into deliveries (id, workspace_id, webhook_id, event_id, status, next_attempt_at, created_at, updated_at)
            values (@deliveryId, @workspaceId, @webhookId, @eventId, @status, @now, @now, @now)
            """;
        await session.ExecuteAsync(sql, new { deliveryId, workspaceId, webhookId, eventId, status = DeliveryStatus.Pending, now }, cancellationToken);
        await NotifyAsync(cancellationToken);
    }

    // Delivery.IsRecoverable over the event's deliveries to this webhook: one in RecoveredFrom, none in RecoveryBlockedBy.
    // One predicate for the recover and its dry run, so a preview counts exactly what a real run creates.
    private const string Recoverable = """
        from events e
        where e.workspace_id = @workspaceId and e.created_at >= @since and e.created_at < @until
          and (@eventTypes::text[] is null or e.type = any(@eventTypes))
          and exists (select 1 from deliveries d where d.event_id = e.id and d.webhook_id = @webhookId and d.status = any(@recoveredFrom))
          and not exists (select 1 from deliveries d where d.event_id = e.id and d.webhook_id = @webhookId and d.status = any(@blockedBy))
        """;

    public async Task<int> RecoverAsync(Guid workspaceId, Guid webhookId, RecoverWindow window, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        const string sql = $"""
            insert into deliveries (id, workspace_id, webhook_id, event_id, status, next_attempt_at, created_at, updated_at)
            select uuidv7(@now), @workspaceId, @webhookId, e.id, @pending, @now, @now, @now
            {Recoverable}
            """;
        var count = await session.ExecuteAsync(sql, RecoverParameters(workspaceId, webhookId, window, new { now, pending = DeliveryStatus.Pending }), cancellationToken);
        if (count > 0)
        {
            await NotifyAsync(cancellationToken);
        }

        return count;
    }

    public async Task<RecoverResult> PreviewRecoverAsync(Guid workspaceId, Guid webhookId, RecoverWindow window, int sampleSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        const string countSql = $"select count(*) {Recoverable}";
        const string sampleSql = $"""
            select e.id as event_id, e.type, e.created_at
            {Recoverable}
            order by e.created_at, e.id
            limit @sampleSize
            """;
        var parameters = RecoverParameters(workspaceId, webhookId, window, new { sampleSize });
        var count = await session.ScalarAsync<long>(countSql, parameters, cancellationToken);
        var sample = await session.ListAsync<RecoverableEvent>(sampleSql, parameters, cancellationToken);
        return new RecoverResult((int)count, sample);
    }

    private static Dapper.DynamicParameters RecoverParameters(Guid workspaceId, Guid webhookId, RecoverWindow window, object extra)
    {
        var parameters = new Dapper.DynamicParameters(extra);
        parameters.AddDynamicParams(new
        {
            workspaceId, webhookId, since = window.Since, until = window.Until, eventTypes = window.EventTypes,
            recoveredFrom = Delivery.RecoveredFrom.ToArray(), blockedBy = Delivery.RecoveryBlockedBy.ToArray(),
        });
        return parameters;
    }

    /// <summary>
    /// The NOTIFY payload on <see cref="EventOutboxWriter.Channel"/> that says deliveries were made without the outbox: it
    /// wakes the workers' claimers, where an event's NOTIFY (no payload) wakes their fan-out.
    /// </summary>
    public const string DeliveriesPayload = "deliveries";

    private Task<int> NotifyAsync(CancellationToken cancellationToken) =>
        session.ExecuteAsync("select pg_notify(@channel, @payload)", new { channel = EventOutboxWriter.Channel, payload = DeliveriesPayload }, cancellationToken);
}
