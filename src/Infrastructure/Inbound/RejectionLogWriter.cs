using System.Collections.Concurrent;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Inbound;
using Causeloop.Infrastructure.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Causeloop.Infrastructure.Inbound;

/// <summary>
/// Writes the rejection log off the request path. <see cref="Record"/> only puts the row in a bounded in-memory
/// buffer (newest <see cref="KeptPerConnector"/> per connector; the rest dropped); every <see cref="FlushInterval"/>
/// one statement inserts what is buffered and one trims each touched connector back to its newest 100 rows. A flood
/// of bad requests therefore costs the database at most 100 rows per connector per second, never a write per request,
/// and the table stays bounded. The commits do not wait for the WAL flush: the log is a diagnostic, not a record.
/// </summary>
public sealed partial class RejectionLogWriter(RederivableWork work, ILogger<RejectionLogWriter> logger) : BackgroundService, IRejectionLog
{
    public const int KeptPerConnector = 100;
    public const int MaxBufferedConnectors = 1000;
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(500);

    private ConcurrentDictionary<Guid, ConcurrentQueue<InboundRejection>> _buffer = new();

    public void Record(InboundRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        var buffer = _buffer;
        if (buffer.Count >= MaxBufferedConnectors && !buffer.ContainsKey(rejection.ConnectorId))
        {
            return;
        }

        var queue = buffer.GetOrAdd(rejection.ConnectorId, _ => new ConcurrentQueue<InboundRejection>());
        queue.Enqueue(rejection);
        while (queue.Count > KeptPerConnector && queue.TryDequeue(out _))
        {
            // Only the newest rows of a burst are kept.
        }
    }

    /// <summary>Writes what is buffered now (the background loop does this on its own every <see cref="FlushInterval"/>).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var buffer = Interlocked.Exchange(ref _buffer, new ConcurrentDictionary<Guid, ConcurrentQueue<InboundRejection>>());
        var rows = buffer.Values.SelectMany(q => q.ToArray().TakeLast(KeptPerConnector)).ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        const string insert = """
            insert into inbound_rejections (id, workspace_id, connector_id, received_at, reason, remote_address, user_agent, content_length, body_sha256)
            select * from unnest(@ids, @workspaces, @connectors, @receivedAt, @reasons, @addresses, @agents, @lengths, @hashes)
            """;
        const string trim = """
            delete from inbound_rejections r
            using (
                select id from (
                    select id, row_number() over (partition by connector_id order by received_at desc, id desc) as n
                    from inbound_rejections where connector_id = any(@connectors)
                ) ranked where n > @kept
            ) old
            where r.id = old.id
            """;
        await using var connection = await work.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(RederivableWork.AsyncCommitSql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(insert, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", rows.Select(r => r.Id).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", rows.Select(r => r.WorkspaceId).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("connectors", rows.Select(r => r.ConnectorId).ToArray()));
            command.Parameters.Add(new NpgsqlParameter("receivedAt", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.ReceivedAt).ToArray() });
            command.Parameters.Add(Text("reasons", rows.Select(r => r.Reason)));
            command.Parameters.Add(Text("addresses", rows.Select(r => r.RemoteAddress)));
            command.Parameters.Add(Text("agents", rows.Select(r => r.UserAgent)));
            command.Parameters.Add(new NpgsqlParameter("lengths", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => (object?)r.ContentLength ?? DBNull.Value).ToArray() });
            command.Parameters.Add(Text("hashes", rows.Select(r => r.BodySha256)));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(trim, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("connectors", buffer.Keys.ToArray()));
            command.Parameters.Add(new NpgsqlParameter<int>("kept", KeptPerConnector));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await FlushAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A diagnostic log: a batch lost while the database is away is acceptable; the service goes on.
                    LogFlushFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static NpgsqlParameter Text(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rejection log could not be written; this batch is dropped")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
