using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Domain.Deliveries;
using Causeloop.Infrastructure.Outbox;
using Causeloop.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Causeloop.Infrastructure.Deliveries;

/// <summary>
/// One recording transaction. Rows are locked in one order (webhooks, then deliveries, each by id) that every other writer
/// of both also follows (deleting a webhook), so recorders on several instances serialise per webhook instead of
/// overwriting each other's health, and cannot deadlock. Writes are absolute values computed from what was locked.
/// </summary>
public sealed class AttemptRecording(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAttemptRecording
{
    private const string LockWebhooksSql = """
        select w.id, w.workspace_id, w.url, w.enabled, w.failing_since, w.consecutive_failures, w.failing_alerted,
               w.exhausted_alerted_at, w.recovery_owed
        from webhooks w
        join unnest(@ids, @workspaces) as t(id, workspace_id) on w.id = t.id and w.workspace_id = t.workspace_id
        order by w.id
        for update of w
        """;

    private const string LockDeliveriesSql = """
        select d.id
        from deliveries d
        join unnest(@ids, @tokens) as t(id, token) on d.id = t.id and d.lease_token = t.token
        where d.status = @inFlight
        order by d.id
        for update of d
        """;

    public Task<RecordingSnapshot> LockAsync(IReadOnlyList<FinishedAttempt> attempts, CancellationToken cancellationToken) =>
        DatabaseErrors.TranslateAsync(async () =>
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            var webhooks = attempts.Select(a => (a.Delivery.WebhookId, a.Delivery.WorkspaceId)).Distinct().ToArray();
            var lockWebhooks = new NpgsqlBatchCommand(LockWebhooksSql);
            lockWebhooks.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. webhooks.Select(w => w.WebhookId)]));
            lockWebhooks.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", [.. webhooks.Select(w => w.WorkspaceId)]));
            var lockDeliveries = new NpgsqlBatchCommand(LockDeliveriesSql);
            lockDeliveries.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. attempts.Select(a => a.Delivery.Id)]));
            lockDeliveries.Parameters.Add(new NpgsqlParameter<Guid[]>("tokens", [.. attempts.Select(a => a.Delivery.LeaseToken)]));
            lockDeliveries.Parameters.Add(new NpgsqlParameter<string>("inFlight", DeliveryStatus.InFlight));
            batch.BatchCommands.Add(lockWebhooks);
            batch.BatchCommands.Add(lockDeliveries);

            var found = new Dictionary<Guid, WebhookSnapshot>();
            var held = new HashSet<Guid>();
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var health = new WebhookHealth(
                    Utc(reader, 4), reader.GetInt32(5), reader.GetBoolean(6), Utc(reader, 7), reader.GetBoolean(8), reader.GetBoolean(3));
                found[reader.GetGuid(0)] = new WebhookSnapshot(reader.GetGuid(1), health, reader.IsDBNull(2) ? null : reader.GetString(2));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                held.Add(reader.GetGuid(0));
            }

            return new RecordingSnapshot(found, held);
        });

    public Task WriteAsync(RecordedChanges changes, DateTime now, CancellationToken cancellationToken) =>
        DatabaseErrors.TranslateAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(changes);
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(AttemptWrites.InsertAttempts(changes.Attempts));
            if (changes.Outcomes.Count > 0)
            {
                batch.BatchCommands.Add(AttemptWrites.UpdateDeliveries(changes.Outcomes, now));
            }

            if (changes.Webhooks.Count > 0)
            {
                batch.BatchCommands.Add(AttemptWrites.UpdateWebhooks(changes.Webhooks, now));
            }

            if (changes.Events.Count > 0)
            {
                batch.BatchCommands.Add(EventOutboxWriter.BatchCommand(changes.Events));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
            return true;
        });

    public Task CommitAsync(CancellationToken cancellationToken) =>
        DatabaseErrors.TranslateAsync(async () =>
        {
            await transaction.CommitAsync(cancellationToken);
            return true;
        });

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private static DateTimeOffset? Utc(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));
}
