using Npgsql;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>
/// Connections for the worker's work that a database crash can only undo, never corrupt, and that is then simply done
/// again: a fan-out (its events become unprocessed again, atomically with its deliveries) and a lease (its delivery
/// becomes due again). Their transactions commit without waiting for the WAL flush: each one's batch starts with
/// <see cref="AsyncCommit"/>. Postgres keeps commit order, so any later durable commit (an accepted event, a recorded
/// attempt) makes them durable too. A crash of Postgres costs at most a repeated send of an event with the same event id,
/// which at-least-once delivery allows; what the API acknowledges and the attempts recorded stay durable (ADR 0006).
/// The setting is made per transaction, never per session (a startup option or a session <c>SET</c>), so that it holds
/// behind a transaction pooler too, where consecutive transactions run on different server sessions (ADR 0011).
/// </summary>
public sealed class RederivableWork : IDisposable
{
    /// <summary>Makes the transaction it runs in commit without waiting for the WAL flush; works in an implicit transaction (a batch) as in an explicit one.</summary>
    public const string AsyncCommitSql = "select set_config('synchronous_commit', 'off', true)";

    public RederivableWork(string connectionString, DatabaseOptions? database = null)
    {
        var builder = DataSourceFactory.Builder(connectionString, database);
        builder.ConnectionStringBuilder.MaxPoolSize = Math.Min(builder.ConnectionStringBuilder.MaxPoolSize, 10);
        DataSource = builder.Build();
        Prepares = database?.PoolsTransactions != true;
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// Whether the worker's hot statements are prepared explicitly on each physical connection (once; Npgsql keeps them
    /// while the connection lives). Only explicit preparation: a statement is prepared in its own round trip, never
    /// in a batch that can fail, which is where automatic preparation loses count (npgsql/npgsql#6391). Not behind a
    /// transaction pooler, where a server session is not this connection's.
    /// </summary>
    public bool Prepares { get; }

    /// <summary>Prepares <paramref name="batch"/>'s statements on its connection when <see cref="Prepares"/> (once per connection).</summary>
    public Task PrepareAsync(NpgsqlBatch batch, CancellationToken cancellationToken) =>
        Prepares ? batch.PrepareAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Prepares <paramref name="command"/> on its connection when <see cref="Prepares"/> (once per connection).</summary>
    public Task PrepareAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        Prepares ? command.PrepareAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>The first command of a re-derivable transaction's batch (<see cref="AsyncCommitSql"/>); it returns one row to skip.</summary>
    public static NpgsqlBatchCommand AsyncCommit() => new(AsyncCommitSql);

    public void Dispose() => DataSource.Dispose();
}
