using Causeloop.Application.Abstractions;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Outbox;

/// <summary>
/// The outbox is the <c>events</c> table. Enqueuing also sends a NOTIFY, which Postgres delivers once per
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
                insert into events (id, workspace_id, type, body, idempotency_key, target_webhook_id, created_at)
                values (@Id, @WorkspaceId, @Type, @Body, @IdempotencyKey, @TargetWebhookId, @CreatedAt)
                on conflict (workspace_id, idempotency_key) where idempotency_key is not null do nothing
                returning 1
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
