using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Domain.Deliveries;
using Causeloop.Domain.Webhooks;
using Causeloop.Infrastructure.Persistence;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Causeloop.Infrastructure.Deliveries;

/// <summary>One fan-out transaction: the outbox events it locked, their candidate webhooks, the deliveries it writes and those of them it leases.</summary>
public sealed class FanOutBatch : IFanOutBatch
{
    // Each event is fetched by its key (the lateral `limit 1` keeps it a lookup per outbox row): as a plain join, the
    // prepared statement's generic plan, which cannot know @batch, hashed the whole events table for every batch.
    private const string TakeSql = """
        select e.id, e.workspace_id, e.type, e.target_webhook_id, e.subject_webhook_id, e.ordering_key, e.seq, e.body
        from (select event_id, workspace_id from outbox order by created_at limit @batch for update skip locked) o
        cross join lateral (
            select * from events e where e.id = o.event_id and e.workspace_id = o.workspace_id limit 1) e
        order by e.created_at, e.seq
        """;

    private static readonly string CandidatesSql = $"""
        select w.id, w.workspace_id, w.enabled, w.event_types, w.filter
        from webhooks w
        where w.workspace_id = any(@workspaces) and w.direction = {DeliverySql.Outbound}
          and ((w.enabled and {DeliverySql.SubscriptionCandidate}) or w.id = any(@targets))
        """;

    private const string InsertSql = """
        insert into deliveries (id, workspace_id, webhook_id, event_id, status, next_attempt_at, created_at, updated_at, ordering_key, event_seq)
        select t.id, t.workspace_id, t.webhook_id, t.event_id, @pending, @now, @now, @now, t.ordering_key, t.event_seq
        from unnest(@ids, @workspaces, @webhooks, @events, @orderingKeys, @eventSeqs) as t(id, workspace_id, webhook_id, event_id, ordering_key, event_seq)
        """;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private readonly FilterCache _filters;
    private readonly RederivableWork _work;

    private FanOutBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OutboxItem> events, FilterCache filters, RederivableWork work)
    {
        _filters = filters;
        _work = work;
        _connection = connection;
        _transaction = transaction;
        Events = events;
    }

    public IReadOnlyList<OutboxItem> Events { get; }

    /// <param name="work">Whose connection this is; it prepares each statement (<see cref="RederivableWork.Prepares"/>).</param>
    public static async Task<IFanOutBatch> TakeAsync(NpgsqlConnection connection, int batch, FilterCache filters, RederivableWork work, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var events = new List<OutboxItem>();
        await using (var take = new NpgsqlCommand(TakeSql, connection, transaction))
        {
            take.Parameters.Add(new NpgsqlParameter<int>("batch", batch));
            await work.PrepareAsync(take, cancellationToken);
            await using var reader = await take.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var outgoing = new OutgoingEvent(
                    reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.IsDBNull(4) ? null : reader.GetGuid(4));
                events.Add(new OutboxItem(
                    outgoing, reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.GetFieldValue<byte[]>(7)));
            }
        }

        return new FanOutBatch(connection, transaction, events, filters, work);
    }

    public Task<IReadOnlyDictionary<Guid, IReadOnlyList<Subscriber>>> CandidatesAsync(CancellationToken cancellationToken) =>
        DatabaseErrors.TranslateAsync(async () =>
        {
            await using var command = new NpgsqlCommand(CandidatesSql, _connection, _transaction);
            var events = Events.Select(e => e.Event).ToArray();
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", [.. events.Select(e => e.WorkspaceId).Distinct()]));
            command.Parameters.Add(new NpgsqlParameter<string[]>("types", Subscription.CandidateTypes(events.Select(e => e.Type))));
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("targets", [.. events.Where(e => e.TargetWebhookId is not null).Select(e => e.TargetWebhookId!.Value)]));
            await _work.PrepareAsync(command, cancellationToken);
            var found = new Dictionary<Guid, List<Subscriber>>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var workspace = reader.GetGuid(1);
                if (!found.TryGetValue(workspace, out var webhooks))
                {
                    found[workspace] = webhooks = [];
                }

                webhooks.Add(new Subscriber(
                    reader.GetGuid(0), reader.GetBoolean(2), reader.GetFieldValue<string[]>(3), reader.IsDBNull(4) ? null : _filters.Get(reader.GetString(4))));
            }

            return (IReadOnlyDictionary<Guid, IReadOnlyList<Subscriber>>)found.ToDictionary(p => p.Key, p => (IReadOnlyList<Subscriber>)p.Value);
        });

    public Task<IReadOnlyList<ClaimedDelivery>> CompleteAsync(
        IReadOnlyList<NewDelivery> deliveries, DateTime now, ClaimRequest? lease, IReadOnlyList<NewDelivery> leasable, CancellationToken cancellationToken) =>
        DatabaseErrors.TranslateAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(deliveries);
            ArgumentNullException.ThrowIfNull(leasable);
            await using var batch = new NpgsqlBatch(_connection, _transaction);
            var leasing = lease is not null && leasable.Count > 0;
            if (!leasing)
            {
                // Re-derivable: lost in a crash or a failover, the events are still in the outbox and are fanned out again.
                batch.BatchCommands.Add(RederivableWork.AsyncCommit());
            }

            // A fan-out that leases commits durably: its attempts start at once, before a later commit could make it
            // durable, and undone by a failover it would be fanned out and sent again (ADR 0006).
            if (deliveries.Count > 0)
            {
                var insert = new NpgsqlBatchCommand(InsertSql);
                insert.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. deliveries.Select(d => d.Id)]));
                insert.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", [.. deliveries.Select(d => d.WorkspaceId)]));
                insert.Parameters.Add(new NpgsqlParameter<Guid[]>("webhooks", [.. deliveries.Select(d => d.WebhookId)]));
                insert.Parameters.Add(new NpgsqlParameter<Guid[]>("events", [.. deliveries.Select(d => d.EventId)]));
                insert.Parameters.Add(new NpgsqlParameter("orderingKeys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = deliveries.Select(d => d.OrderingKey).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("eventSeqs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = deliveries.Select(d => d.EventSeq).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter<string>("pending", DeliveryStatus.Pending));
                insert.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
                batch.BatchCommands.Add(insert);
            }

            var taken = new NpgsqlBatchCommand("delete from outbox where event_id = any(@ids)");
            taken.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. Events.Select(e => e.Event.Id)]));
            batch.BatchCommands.Add(taken);
            if (leasing)
            {
                // The claim's own lease, over the deliveries just inserted (this transaction sees them, and its events are
                // off the outbox, so an ordering key's next event is judged as a claim would judge it after the commit).
                ClaimStore.AddLease(batch, lease!, [.. leasable.Select(d => (d.Id, d.WebhookId))]);
            }

            await _work.PrepareAsync(batch, cancellationToken);
            IReadOnlyList<ClaimedDelivery> leased = [];
            await using (var results = await batch.ExecuteReaderAsync(cancellationToken))
            {
                if (leasing)
                {
                    // Past the locks' row to the lease's rows (the reader passes over the insert and the delete, which return none).
                    await results.NextResultAsync(cancellationToken);
                    leased = results.Parse<ClaimedDelivery>().AsList();
                }
            }

            await _transaction.CommitAsync(cancellationToken);
            return leased; // started by the caller only now: a lease that did not commit does not exist
        });

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
