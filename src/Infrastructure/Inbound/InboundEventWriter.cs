using Causeloop.Application.Inbound;
using Npgsql;
using NpgsqlTypes;

namespace Causeloop.Infrastructure.Inbound;

/// <summary>The batched insert of accepted inbound events, and the look-up of the first event of each dedupe id already stored.</summary>
public static class InboundEventWriter
{
    // The raw bytes, as verified, are the body (ADR 0010); a parsed form is stored beside them only where it differs
    // (a form-encoded Slack body as a JSON object of its fields).
    private const string InsertSql = """
        insert into inbound_events (id, workspace_id, connector_id, event_id, raw_body, payload, content_type, user_agent, received_at,
                                    source_kind, source_event_type, caused_event_id)
        select t.id, t.workspace_id, t.connector_id, t.event_id, t.raw_body, convert_from(t.payload, 'UTF8')::jsonb,
               t.content_type, t.user_agent, t.received_at, t.kind, t.event_type, t.caused_event_id
        from unnest(@ids, @workspaces, @connectors, @eventIds, @bodies, @contentTypes, @userAgents, @receivedAt, @payloads, @kinds, @eventTypes, @causedEventIds)
             as t(id, workspace_id, connector_id, event_id, raw_body, content_type, user_agent, received_at, payload, kind, event_type, caused_event_id)
        on conflict (connector_id, event_id) where event_id is not null do nothing
        returning id
        """;

    private const string FindSql = """
        select e.connector_id, e.event_id, e.id
        from unnest(@workspaces, @connectors, @eventIds) as t(workspace_id, connector_id, event_id)
        join inbound_events e on e.workspace_id = t.workspace_id and e.connector_id = t.connector_id and e.event_id = t.event_id
        """;

    /// <summary>Inserts the events (one whose dedupe id its connector accepted before is left out); returns the ids inserted.</summary>
    public static async Task<HashSet<Guid>> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<InboundEvent> events, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<Guid>();
        if (events.Count == 0)
        {
            return inserted;
        }

        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. events.Select(e => e.Id)]));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", [.. events.Select(e => e.WorkspaceId)]));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("connectors", [.. events.Select(e => e.ConnectorId)]));
        command.Parameters.Add(Text("eventIds", events.Select(e => e.EventId)));
        command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = events.Select(e => e.RawBody).ToArray() });
        command.Parameters.Add(Text("contentTypes", events.Select(e => e.ContentType)));
        command.Parameters.Add(Text("userAgents", events.Select(e => e.UserAgent)));
        command.Parameters.Add(new NpgsqlParameter("receivedAt", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = events.Select(e => e.ReceivedAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = events.Select(e => (object?)e.Payload ?? DBNull.Value).ToArray() });
        command.Parameters.Add(Text("kinds", events.Select(e => (string?)e.Kind)));
        command.Parameters.Add(Text("eventTypes", events.Select(e => e.SourceEventType)));
        command.Parameters.Add(new NpgsqlParameter("causedEventIds", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.CausedEventId).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetGuid(0));
        }

        return inserted;
    }

    /// <summary>The stored event's id for each (connector, dedupe id) of <paramref name="events"/> that is already stored.</summary>
    public static async Task<Dictionary<(Guid, string), Guid>> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<InboundEvent> events, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(Guid, string), Guid>();
        if (events.Count == 0)
        {
            return found;
        }

        await using var command = new NpgsqlCommand(FindSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", [.. events.Select(e => e.WorkspaceId)]));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("connectors", [.. events.Select(e => e.ConnectorId)]));
        command.Parameters.Add(Text("eventIds", events.Select(e => e.EventId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[(reader.GetGuid(0), reader.GetString(1))] = reader.GetGuid(2);
        }

        return found;
    }

    private static NpgsqlParameter Text(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
}
