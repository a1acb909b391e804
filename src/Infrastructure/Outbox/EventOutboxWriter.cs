using Causeloop.Application.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Causeloop.Infrastructure.Outbox;

/// <summary>
/// The one insert of events into the <c>events</c> table and the <c>outbox</c> queue, used by every writer (a command's
/// transaction, group commit, the recorder's operational events): same columns everywhere — the event's cause (§18)
/// among them, so lineage is written with the event, never after — batched, in the caller's transaction. A NOTIFY on <see cref="Channel"/> tells the other instances' workers (Postgres delivers it once per
/// transaction, on commit); it is a hint, never needed for correctness.
/// </summary>
public static class EventOutboxWriter
{
    public const string Channel = "causeloop_work";

    private const string Sql = """
        with inserted as (
            insert into events (id, workspace_id, type, body, idempotency_key, target_webhook_id, subject_webhook_id, trace_parent, created_at, ordering_key,
                                cause_kind, cause_connector_id, cause_inbound_event_id, cause_api_key_prefix, cause_webhook_id)
            select * from unnest(@ids, @workspaces, @types, @bodies, @keys, @targets, @subjects, @traceParents, @createdAt, @orderingKeys,
                                 @causeKinds, @causeConnectors, @causeInboundEvents, @causeKeyPrefixes, @causeWebhooks)
            on conflict (workspace_id, idempotency_key) where idempotency_key is not null do nothing
            returning id, workspace_id, created_at, ordering_key, seq
        ), queued as (
            insert into outbox (event_id, workspace_id, created_at, ordering_key, event_seq)
            select id, workspace_id, created_at, ordering_key, seq from inserted
        )
        select i.id from inserted i
        cross join (select count(pg_notify(@channel, '')) from (select from inserted limit 1) one) notified
        """;

    /// <summary>
    /// Inserts the events (an event whose idempotency key its workspace used before is left out) and queues them; returns
    /// the ids inserted.
    /// </summary>
    public static async Task<HashSet<Guid>> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var inserted = new HashSet<Guid>();
        if (events.Count == 0)
        {
            return inserted;
        }

        await using var command = Command(connection, transaction, events);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetGuid(0));
        }

        return inserted;
    }

    /// <summary>The statement, for a caller that sends it in a batch with others (its result is the ids inserted).</summary>
    public static NpgsqlBatchCommand BatchCommand(IReadOnlyList<OutboxEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var command = new NpgsqlBatchCommand(Sql);
        command.Parameters.AddRange(Parameters(events));
        return command;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<OutboxEvent> events)
    {
        var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.AddRange(Parameters(events));
        return command;
    }

    private static NpgsqlParameter[] Parameters(IReadOnlyList<OutboxEvent> events) =>
    [
        new NpgsqlParameter<Guid[]>("ids", [.. events.Select(e => e.Id)]),
        new NpgsqlParameter<Guid[]>("workspaces", [.. events.Select(e => e.WorkspaceId)]),
        new NpgsqlParameter<string[]>("types", [.. events.Select(e => e.Type)]),
        new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = events.Select(e => e.Body).ToArray() },
        new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.IdempotencyKey).ToArray() },
        new NpgsqlParameter("targets", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.TargetWebhookId).ToArray() },
        new NpgsqlParameter("subjects", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.SubjectWebhookId).ToArray() },
        new NpgsqlParameter("traceParents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.TraceParent).ToArray() },
        new NpgsqlParameter("createdAt", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = events.Select(e => e.CreatedAt).ToArray() },
        new NpgsqlParameter("orderingKeys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.OrderingKey).ToArray() },
        new NpgsqlParameter<string[]>("causeKinds", [.. events.Select(e => e.Cause.Kind)]),
        new NpgsqlParameter("causeConnectors", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.Cause.ConnectorId).ToArray() },
        new NpgsqlParameter("causeInboundEvents", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.Cause.InboundEventId).ToArray() },
        new NpgsqlParameter("causeKeyPrefixes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Cause.ApiKeyPrefix).ToArray() },
        new NpgsqlParameter("causeWebhooks", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.Cause.WebhookId).ToArray() },
        new NpgsqlParameter<string>("channel", Channel),
    ];
}
