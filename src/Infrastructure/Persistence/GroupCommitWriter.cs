using Causeloop.Application.Deliveries.Pipeline;
using System.Threading.Channels;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Inbound;
using Causeloop.Infrastructure.Delivery;
using Causeloop.Infrastructure.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>
/// Group commit for accepted events. Callers queue a write and wait; each of <see cref="GroupCommitOptions.Writers"/>
/// loops takes whatever is queued (up to <see cref="GroupCommitOptions.MaxBatch"/>), stores it with one statement
/// per table in one transaction with at most one NOTIFY, and completes every caller after the commit. While a
/// batch commits, the next one gathers, so batches grow with the load and cost nothing when idle.
/// <list type="bullet">
/// <item>Nothing is acknowledged before the commit that stores it.</item>
/// <item>Duplicates (inbound dedupe id, published idempotency key) are answered with the first event's id, whether
/// the first was stored earlier or sits in the same batch.</item>
/// <item>A batch that fails before its commit is retried one write at a time, so a bad write fails alone; a
/// failed commit fails its whole batch (the outcome is unknown, and callers retry with their dedupe ids).</item>
/// <item>A caller that gives up before its write is taken is never written.</item>
/// </list>
/// </summary>
public sealed partial class GroupCommitWriter(
    NpgsqlDataSource dataSource,
    WorkSignal workSignal,
    GroupCommitOptions options,
    ILogger<GroupCommitWriter> logger) : IEventWriter, IHostedService
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    private Task[] _loops = [];

    public ValueTask<WriteResult> StoreInboundAsync(InboundEvent inbound, OutboxEvent issueIngested, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(issueIngested);
        return EnqueueAsync(new PendingWrite(inbound, issueIngested), cancellationToken);
    }

    public ValueTask<WriteResult> PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        return EnqueueAsync(new PendingWrite(null, outboxEvent), cancellationToken);
    }

    private async ValueTask<WriteResult> EnqueueAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            throw new UnavailableException("The service is stopping; nothing was stored. Retry shortly.");
        }

        await using (cancellationToken.Register(static w => ((PendingWrite)w!).TryCancel(), write))
        {
            return await write.Completion;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Dedicated threads with synchronous I/O: a batch's round trips never wait in the thread pool's queue
        // behind the very requests it is about to complete (under load that queue is long).
        _loops = Enumerable.Range(0, options.Writers).Select(i =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    Run();
                    done.SetResult();
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            })
            { IsBackground = true, Name = $"causeloop-group-commit-{i}" };
            thread.Start();
            return done.Task;
        }).ToArray();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Writes already queued are stored (their callers are waiting); new ones are refused.
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).WaitAsync(cancellationToken);
    }

    private void Run()
    {
        var batch = new List<PendingWrite>(options.MaxBatch);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < options.MaxBatch && reader.TryRead(out var write))
            {
                if (write.TryStart())
                {
                    batch.Add(write);
                }
            }

            if (batch.Count > 0)
            {
                Write(batch);
            }
        }
    }

    private void Write(List<PendingWrite> batch)
    {
        try
        {
            WriteBatch(batch);
            return;
        }
        catch (Exception e) when (batch.Count > 1 && e is not CommitFailedException)
        {
            LogBatchRetried(logger, batch.Count, e);
        }
        catch (Exception e)
        {
            var cause = Unwrap(e);
            batch.ForEach(w => w.Fail(cause));
            return;
        }

        foreach (var write in batch)
        {
            try
            {
                WriteBatch([write]);
            }
            catch (Exception e)
            {
                write.Fail(Unwrap(e));
            }
        }
    }

    private void WriteBatch(IReadOnlyList<PendingWrite> batch)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();

        // Inbound events: the first of each (connector, dedupe id) in the batch is the one written.
        var inbound = Leaders(batch.Where(w => w.Inbound is not null),
            w => w.Inbound!.EventId is { } id ? (w.Inbound.ConnectorId, id) : (object?)null);
        var stored = InsertInbound(connection, transaction, inbound);
        var existing = FindInbound(connection, transaction, inbound.Where(w => !stored.Contains(w.Inbound!.Id)).ToArray());
        foreach (var write in inbound)
        {
            if (stored.Contains(write.Inbound!.Id))
            {
                write.Result = new WriteResult(write.Inbound.Id, Duplicate: false);
            }
            else
            {
                var first = existing.TryGetValue((write.Inbound.ConnectorId, write.Inbound.EventId!), out var id)
                    ? id
                    : throw new InvalidOperationException("A conflicting inbound event vanished.");
                write.Result = new WriteResult(first, Duplicate: true);
            }
        }

        // Outbox events: issue.ingested for each stored inbound event, and the published ones (first of each key).
        var published = Leaders(batch.Where(w => w.Inbound is null),
            w => w.Event.IdempotencyKey is { } key ? (w.Event.WorkspaceId, key) : (object?)null);
        var events = inbound.Where(w => w.Result is { Duplicate: false }).Concat(published).ToArray();
        var inserted = InsertEvents(connection, transaction, events);
        var earlier = FindEvents(connection, transaction, published.Where(w => !inserted.Contains(w.Event.Id)).ToArray());
        foreach (var write in published)
        {
            write.Result = inserted.Contains(write.Event.Id)
                ? new WriteResult(write.Event.Id, Duplicate: false)
                : new WriteResult(
                    earlier.TryGetValue((write.Event.WorkspaceId, write.Event.IdempotencyKey!), out var id)
                        ? id
                        : throw new InvalidOperationException("A conflicting event vanished."),
                    Duplicate: true);
        }

        if (inserted.Count > 0)
        {
            // One hint per batch for the other instances; this one is woken directly below.
            using var notify = new NpgsqlCommand($"select pg_notify('{PostgresOutbox.Channel}', '')", connection, transaction);
            notify.ExecuteNonQuery();
        }

        try
        {
            transaction.Commit();
        }
        catch (Exception e)
        {
            throw new CommitFailedException(e);
        }

        if (inserted.Count > 0)
        {
            workSignal.Set();
        }

        foreach (var write in batch)
        {
            write.Complete(write.Leader?.Result ?? write.Result!.Value, isFollower: write.Leader is not null);
        }
    }

    /// <summary>
    /// The writes that go to the database: every write without a key, and the first of each key; the others
    /// follow their leader's outcome as duplicates.
    /// </summary>
    private static PendingWrite[] Leaders(IEnumerable<PendingWrite> writes, Func<PendingWrite, object?> key)
    {
        var leaders = new List<PendingWrite>();
        var seen = new Dictionary<object, PendingWrite>();
        foreach (var write in writes)
        {
            write.Leader = null;
            write.Result = null;
            if (key(write) is { } k)
            {
                if (seen.TryGetValue(k, out var leader))
                {
                    write.Leader = leader;
                    continue;
                }

                seen[k] = write;
            }

            leaders.Add(write);
        }

        return [.. leaders];
    }

    private static HashSet<Guid> InsertInbound(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingWrite[] writes)
    {
        if (writes.Length == 0)
        {
            return [];
        }

        // The jsonb column is filled from the same bytes, decoded by Postgres: what is stored is what was verified.
        const string sql = """
            insert into inbound_events (id, workspace_id, connector_id, event_id, raw_body, payload, content_type, user_agent, received_at,
                                        source_kind, source_event_type)
            select t.id, t.workspace_id, t.connector_id, t.event_id, t.raw_body, convert_from(coalesce(t.payload, t.raw_body), 'UTF8')::jsonb,
                   t.content_type, t.user_agent, t.received_at, t.kind, t.event_type
            from unnest(@ids, @workspaces, @connectors, @eventIds, @bodies, @contentTypes, @userAgents, @receivedAt, @payloads, @kinds, @eventTypes)
                 as t(id, workspace_id, connector_id, event_id, raw_body, content_type, user_agent, received_at, payload, kind, event_type)
            on conflict (connector_id, event_id) where event_id is not null do nothing
            returning id
            """;
        var events = writes.Select(w => w.Inbound!).ToArray();
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", events.Select(e => e.Id).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", events.Select(e => e.WorkspaceId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("connectors", events.Select(e => e.ConnectorId).ToArray()));
        command.Parameters.Add(TextArray("eventIds", events.Select(e => e.EventId)));
        command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = events.Select(e => e.RawBody).ToArray() });
        command.Parameters.Add(TextArray("contentTypes", events.Select(e => e.ContentType)));
        command.Parameters.Add(TextArray("userAgents", events.Select(e => e.UserAgent)));
        command.Parameters.Add(new NpgsqlParameter("receivedAt", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = events.Select(e => e.ReceivedAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = events.Select(e => (object?)e.Payload ?? DBNull.Value).ToArray() });
        command.Parameters.Add(TextArray("kinds", events.Select(e => e.Kind)));
        command.Parameters.Add(TextArray("eventTypes", events.Select(e => e.SourceEventType)));
        return ReadIds(command);
    }

    private static Dictionary<(Guid, string), Guid> FindInbound(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingWrite[] writes)
    {
        if (writes.Length == 0)
        {
            return [];
        }

        const string sql = """
            select e.connector_id, e.event_id, e.id
            from unnest(@workspaces, @connectors, @eventIds) as t(workspace_id, connector_id, event_id)
            join inbound_events e on e.workspace_id = t.workspace_id and e.connector_id = t.connector_id and e.event_id = t.event_id
            """;
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", writes.Select(w => w.Inbound!.WorkspaceId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("connectors", writes.Select(w => w.Inbound!.ConnectorId).ToArray()));
        command.Parameters.Add(TextArray("eventIds", writes.Select(w => w.Inbound!.EventId)));
        return ReadKeyedIds(command);
    }

    private static HashSet<Guid> InsertEvents(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingWrite[] writes)
    {
        if (writes.Length == 0)
        {
            return [];
        }

        const string sql = """
            with inserted as (
                insert into events (id, workspace_id, type, body, idempotency_key, target_webhook_id, created_at, trace_parent)
                select * from unnest(@ids, @workspaces, @types, @bodies, @keys, @targets, @createdAt, @traceParents)
                on conflict (workspace_id, idempotency_key) where idempotency_key is not null do nothing
                returning id, workspace_id, created_at
            ), queued as (
                insert into outbox (event_id, workspace_id, created_at) select id, workspace_id, created_at from inserted
            )
            select id from inserted
            """;
        var events = writes.Select(w => w.Event).ToArray();
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", events.Select(e => e.Id).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", events.Select(e => e.WorkspaceId).ToArray()));
        command.Parameters.Add(TextArray("types", events.Select(e => (string?)e.Type)));
        command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = events.Select(e => e.Body).ToArray() });
        command.Parameters.Add(TextArray("keys", events.Select(e => e.IdempotencyKey)));
        command.Parameters.Add(new NpgsqlParameter("targets", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.TargetWebhookId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("createdAt", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = events.Select(e => e.CreatedAt).ToArray() });
        command.Parameters.Add(TextArray("traceParents", events.Select(e => e.TraceParent)));
        return ReadIds(command);
    }

    private static Dictionary<(Guid, string), Guid> FindEvents(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingWrite[] writes)
    {
        if (writes.Length == 0)
        {
            return [];
        }

        const string sql = """
            select e.workspace_id, e.idempotency_key, e.id
            from unnest(@workspaces, @keys) as t(workspace_id, idempotency_key)
            join events e on e.workspace_id = t.workspace_id and e.idempotency_key = t.idempotency_key
            """;
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", writes.Select(w => w.Event.WorkspaceId).ToArray()));
        command.Parameters.Add(TextArray("keys", writes.Select(w => w.Event.IdempotencyKey)));
        return ReadKeyedIds(command);
    }

    /// <summary>Rows of (scope id, key, id): which stored id each (connector or workspace, dedupe key) already has.</summary>
    private static Dictionary<(Guid, string), Guid> ReadKeyedIds(NpgsqlCommand command)
    {
        var found = new Dictionary<(Guid, string), Guid>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found[(reader.GetGuid(0), reader.GetString(1))] = reader.GetGuid(2);
        }

        return found;
    }

    private static NpgsqlParameter TextArray(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };

    private static HashSet<Guid> ReadIds(NpgsqlCommand command)
    {
        var ids = new HashSet<Guid>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} writes failed before its commit; writing them one at a time")]
    private static partial void LogBatchRetried(ILogger logger, int count, Exception exception);

    /// <summary>A failed commit is a 503 whatever its cause: nothing of the batch was stored, or it cannot be known.</summary>
    private static Exception Unwrap(Exception e) => e is CommitFailedException
        ? new UnavailableException("The database did not commit the write; nothing was acknowledged. Retry (with the same dedupe id).", e.InnerException!)
        : e;

    private sealed class CommitFailedException(Exception inner) : Exception("The commit failed.", inner);

    /// <summary>One caller's write, waiting for its batch's commit.</summary>
    private sealed class PendingWrite(InboundEvent? inbound, OutboxEvent outboxEvent)
    {
        private const int Waiting = 0, Started = 1, Cancelled = 2;
        private readonly TaskCompletionSource<WriteResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state;

        public InboundEvent? Inbound { get; } = inbound;
        public OutboxEvent Event { get; } = outboxEvent;
        public Task<WriteResult> Completion => _completion.Task;

        /// <summary>Set within a batch: the earlier write with the same key, whose outcome this one shares.</summary>
        public PendingWrite? Leader { get; set; }
        public WriteResult? Result { get; set; }

        public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Waiting) == Waiting;

        public void TryCancel()
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
            {
                _completion.TrySetCanceled();
            }
        }

        public void Complete(WriteResult result, bool isFollower) =>
            _completion.TrySetResult(isFollower ? result with { Duplicate = true } : result);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}

/// <summary><c>Causeloop:GroupCommit:*</c>.</summary>
public sealed class GroupCommitOptions
{
    public const string Section = "Causeloop:GroupCommit";

    /// <summary>Batches written at once (each on its own connection), so one gathers while another commits.</summary>
    public int Writers { get; set; } = 2;

    /// <summary>Writes stored per transaction at most.</summary>
    public int MaxBatch { get; set; } = 512;
}
