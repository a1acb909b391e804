using Causeloop.Application.Abstractions;
using Causeloop.Infrastructure.Inbound;
using Causeloop.Infrastructure.Outbox;
using Npgsql;

namespace Causeloop.Infrastructure.Persistence.GroupCommit;

/// <summary>
/// One group-commit transaction: the batch's inbound events, then its outbox events (<c>issue.ingested</c> for each stored
/// inbound event, and the published ones), one statement per table and one NOTIFY, then the commit. Dedupe holds within
/// the batch (the first write of each key is the one stored, the others follow it) and across batches (a key stored
/// before answers with that event's id).
/// </summary>
public static class GroupCommitBatch
{
    /// <summary>Writes and commits; sets each write's <see cref="PendingWrite.Result"/>. Returns whether any event was stored.</summary>
    /// <exception cref="CommitFailedException">The commit failed: the outcome of the whole batch is unknown.</exception>
    public static async Task<bool> WriteAsync(NpgsqlDataSource dataSource, IReadOnlyList<PendingWrite> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var inbound = Leaders(batch.Where(w => w.Inbound is not null));
        var stored = await InboundEventWriter.InsertAsync(connection, transaction, [.. inbound.Select(w => w.Inbound!)], cancellationToken);
        var existing = await InboundEventWriter.FindAsync(
            connection, transaction, [.. inbound.Where(w => !stored.Contains(w.Inbound!.Id)).Select(w => w.Inbound!)], cancellationToken);
        foreach (var write in inbound)
        {
            write.Result = stored.Contains(write.Inbound!.Id)
                ? new WriteResult(write.Inbound.Id, Duplicate: false)
                : new WriteResult(existing.TryGetValue((write.Inbound.ConnectorId, write.Inbound.EventId!), out var id) ? id : Vanished(), Duplicate: true);
        }

        var published = Leaders(batch.Where(w => w.Inbound is null));
        var events = inbound.Where(w => w.Result is { Duplicate: false }).Concat(published).Select(w => w.Event).ToArray();
        var inserted = await EventOutboxWriter.InsertAsync(connection, transaction, events, cancellationToken);
        var earlier = await FindEventsAsync(connection, transaction, [.. published.Where(w => !inserted.Contains(w.Event.Id))], cancellationToken);
        foreach (var write in published)
        {
            write.Result = inserted.Contains(write.Event.Id)
                ? new WriteResult(write.Event.Id, Duplicate: false)
                : new WriteResult(earlier.TryGetValue((write.Event.WorkspaceId, write.Event.IdempotencyKey!), out var id) ? id : Vanished(), Duplicate: true);
        }

        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CommitFailedException(e);
        }

        return inserted.Count > 0;
    }

    /// <summary>
    /// The writes that go to the database: every write without a key, and the first of each key; the others follow their
    /// leader's outcome as duplicates.
    /// </summary>
    private static PendingWrite[] Leaders(IEnumerable<PendingWrite> writes)
    {
        var leaders = new List<PendingWrite>();
        var seen = new Dictionary<object, PendingWrite>();
        foreach (var write in writes)
        {
            write.Leader = null;
            write.Result = null;
            if (write.Key is { } key)
            {
                if (seen.TryGetValue(key, out var leader))
                {
                    write.Leader = leader;
                    continue;
                }

                seen[key] = write;
            }

            leaders.Add(write);
        }

        return [.. leaders];
    }

    private static async Task<Dictionary<(Guid, string), Guid>> FindEventsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, PendingWrite[] writes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(Guid, string), Guid>();
        if (writes.Length == 0)
        {
            return found;
        }

        const string sql = """
            select e.workspace_id, e.idempotency_key, e.id
            from unnest(@workspaces, @keys) as t(workspace_id, idempotency_key)
            join events e on e.workspace_id = t.workspace_id and e.idempotency_key = t.idempotency_key
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", [.. writes.Select(w => w.Event.WorkspaceId)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", [.. writes.Select(w => w.Event.IdempotencyKey!)]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[(reader.GetGuid(0), reader.GetString(1))] = reader.GetGuid(2);
        }

        return found;
    }

    private static Guid Vanished() => throw new InvalidOperationException("A conflicting event vanished within its own transaction.");
}
