using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Domain.Deliveries;
using Causeloop.Domain.Webhooks;
using Causeloop.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Causeloop.Infrastructure.Deliveries;

/// <summary>One fan-out transaction: the outbox events it locked, their candidate webhooks, and the deliveries it writes.</summary>
public sealed class FanOutBatch : IFanOutBatch
{
    private const string TakeSql = """
        select e.id, e.workspace_id, e.type, e.target_webhook_id, e.subject_webhook_id
        from (select event_id, workspace_id from outbox order by created_at limit @batch for update skip locked) o
        join events e on e.id = o.event_id and e.workspace_id = o.workspace_id
        """;

    private const string CandidatesSql = $"""
        select w.id, w.workspace_id, w.enabled, w.event_types
        from webhooks w
        where w.workspace_id = any(@workspaces) and w.direction = @outbound
          and ((w.enabled and {DeliverySql.SubscriptionCandidate}) or w.id = any(@targets))
        """;

    private const string InsertSql = """
        insert into deliveries (id, workspace_id, webhook_id, event_id, status, next_attempt_at, created_at, updated_at)
        select t.id, t.workspace_id, t.webhook_id, t.event_id, @pending, @now, @now, @now
        from unnest(@ids, @workspaces, @webhooks, @events) as t(id, workspace_id, webhook_id, event_id)
        """;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private FanOutBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OutgoingEvent> events)
    {
        _connection = connection;
        _transaction = transaction;
        Events = events;
    }

    public IReadOnlyList<OutgoingEvent> Events { get; }

    public static async Task<IFanOutBatch> TakeAsync(NpgsqlConnection connection, int batch, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var events = new List<OutgoingEvent>();
        await using (var take = new NpgsqlCommand(TakeSql, connection, transaction))
        {
            take.Parameters.Add(new NpgsqlParameter<int>("batch", batch));
            await using var reader = await take.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new OutgoingEvent(
                    reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.IsDBNull(4) ? null : reader.GetGuid(4)));
            }
        }

        return new FanOutBatch(connection, transaction, events);
    }

    public Task<IReadOnlyDictionary<Guid, IReadOnlyList<Subscriber>>> CandidatesAsync(CancellationToken cancellationToken) =>
        DatabaseErrors.TranslateAsync(async () =>
        {
            await using var command = new NpgsqlCommand(CandidatesSql, _connection, _transaction);
            command.Parameters.AddRange(DeliverySql.Parameters());
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", [.. Events.Select(e => e.WorkspaceId).Distinct()]));
            command.Parameters.Add(new NpgsqlParameter<string[]>("types", Subscription.CandidateTypes(Events.Select(e => e.Type))));
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("targets", [.. Events.Where(e => e.TargetWebhookId is not null).Select(e => e.TargetWebhookId!.Value)]));
            var found = new Dictionary<Guid, List<Subscriber>>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var workspace = reader.GetGuid(1);
                if (!found.TryGetValue(workspace, out var webhooks))
                {
                    found[workspace] = webhooks = [];
                }

                webhooks.Add(new Subscriber(reader.GetGuid(0), reader.GetBoolean(2), reader.GetFieldValue<string[]>(3)));
            }

            return (IReadOnlyDictionary<Guid, IReadOnlyList<Subscriber>>)found.ToDictionary(p => p.Key, p => (IReadOnlyList<Subscriber>)p.Value);
        });

    public Task CompleteAsync(IReadOnlyList<NewDelivery> deliveries, DateTime now, CancellationToken cancellationToken) =>
        DatabaseErrors.TranslateAsync(async () =>
        {
            await using var batch = new NpgsqlBatch(_connection, _transaction);
            if (deliveries.Count > 0)
            {
                var insert = new NpgsqlBatchCommand(InsertSql);
                insert.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. deliveries.Select(d => d.Id)]));
                insert.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", [.. deliveries.Select(d => d.WorkspaceId)]));
                insert.Parameters.Add(new NpgsqlParameter<Guid[]>("webhooks", [.. deliveries.Select(d => d.WebhookId)]));
                insert.Parameters.Add(new NpgsqlParameter<Guid[]>("events", [.. deliveries.Select(d => d.EventId)]));
                insert.Parameters.Add(new NpgsqlParameter<string>("pending", DeliveryStatus.Pending));
                insert.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
                batch.BatchCommands.Add(insert);
            }

            var taken = new NpgsqlBatchCommand("delete from outbox where event_id = any(@ids)");
            taken.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. Events.Select(e => e.Id)]));
            batch.BatchCommands.Add(taken);
            await batch.ExecuteNonQueryAsync(cancellationToken);
            await _transaction.CommitAsync(cancellationToken);
            return true;
        });

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
