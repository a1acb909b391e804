using Npgsql;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>
/// Connections whose commits do not wait for the WAL flush (<c>synchronous_commit = off</c>), for the worker's
/// work that a database crash can only undo, never corrupt, and that is then simply done again: a fan-out (its
/// events become unprocessed again, atomically with its deliveries) and a lease (its delivery becomes due again).
/// Postgres keeps commit order, so any later durable commit (an accepted event, a recorded attempt) makes them
/// durable too. A crash of Postgres costs at most a repeated send of an event with the same event id, which
/// at-least-once delivery allows; what the API acknowledges and the attempts recorded stay durable.
/// </summary>
public sealed class RederivableWork : IDisposable
{
    public RederivableWork(string connectionString)
    {
        var builder = Persistence.DataSourceFactory.Builder(connectionString);
        builder.ConnectionStringBuilder.Options = (builder.ConnectionStringBuilder.Options + " -c synchronous_commit=off").Trim();
        builder.ConnectionStringBuilder.MaxPoolSize = Math.Min(builder.ConnectionStringBuilder.MaxPoolSize, 10);
        DataSource = builder.Build();
    }

    public NpgsqlDataSource DataSource { get; }

    public void Dispose() => DataSource.Dispose();
}
