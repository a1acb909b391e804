using Causeloop.Application.Abstractions;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Outbox;

/// <summary>
/// An event is written to the <c>events</c> table and queued in the <c>outbox</c> table (taken off by the fan-out).
/// Enqueuing also sends a NOTIFY, which Postgres delivers once per
/// transaction and only on commit: a hint for the worker, never needed for correctness.
/// </summary>
public sealed class PostgresOutbox(DbSession session) : IOutbox
{
    public const string Channel = "causeloop_work";

    public async Task<bool> EnqueueAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        // The insert and its NOTIFY in one round trip; nothing is notified when the key was used before.
        const string sql = $"""
            with inserted as (
                insert into events (id, workspace_id, type, body, idempotency_key, target_webhook_id, subject_webhook_id, trace_parent, created_at)
                values (@Id, @WorkspaceId, @Type, @Body, @IdempotencyKey, @TargetWebhookId, @SubjectWebhookId, @TraceParent, @CreatedAt)
                on conflict (workspace_id, idempotency_key) where idempotency_key is not null do nothing
                returning id, workspace_id, created_at
            ), queued as (
                insert into outbox (event_id, workspace_id, created_at) select id, workspace_id, created_at from inserted
            )
            select count(*)::int from (select pg_notify('{Channel}', '') from inserted) notified
            """;
        if (session.Transaction is null)
        {
            throw new InvalidOperationException("Events are enqueued only inside the transaction of the change that causes them.");
        }

        return await session.ScalarAsync<int>(sql, outboxEvent, cancellationToken) == 1;
    }
}
