using Npgsql;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>
/// Builds every <see cref="NpgsqlDataSource"/> of the service from the one connection string, with the settings the
/// service relies on whatever the connection string says.
/// </summary>
public static class DataSourceFactory
{
    /// <summary>
    /// A builder for <paramref name="connectionString"/> with automatic statement preparation off. Npgsql (10.0.3) can
    /// leave an auto-prepared statement's bookkeeping out of step with the server after a statement fails inside a
    /// transaction (npgsql/npgsql#6391); the next command on that physical connection then reads another statement's
    /// rows ("Received unexpected backend message DataRow") and its request fails with a 500. Refused writes are part of
    /// normal traffic here (a NUL in JSON text, for one), so a connection must never carry that state. Behind a
    /// transaction pooler (<see cref="DatabaseOptions.PoolsTransactions"/>) no statement may be prepared on the server at
    /// all, and a connection returned to Npgsql's pool is not reset (<c>DISCARD ALL</c>): it holds no session state to reset.
    /// </summary>
    public static NpgsqlDataSourceBuilder Builder(string connectionString, DatabaseOptions? database = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.MaxAutoPrepare = 0;
        if (database?.PoolsTransactions == true)
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        return builder;
    }
}
