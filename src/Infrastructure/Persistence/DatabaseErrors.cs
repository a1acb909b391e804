using System.Net.Sockets;
using Causeloop.Application.Common;
using Npgsql;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>Which failures of a database call mean "the database cannot be used right now", as opposed to "this write was refused".</summary>
public static class DatabaseErrors
{
    /// <summary>
    /// The connection failed or broke, the server refused connections or is shutting down, or the node found does not
    /// take writes (25006, a standby or a node pg_auto_failover still holds read-only after a promotion): retry later.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        UnavailableException => true,
        PostgresException pg => pg.SqlState is "57P01" or "57P02" or "57P03" or "53300" or "53400" or "08006" or "08001" or "08003" or "08004" or "25006",
        NpgsqlException => true,
        SocketException => true,
        TimeoutException => true,
        _ when exception.InnerException is { } inner => IsUnavailable(inner),
        _ => false,
    };

    /// <summary>Runs <paramref name="call"/>, turning an unavailable database into <see cref="UnavailableException"/>.</summary>
    public static async Task<T> TranslateAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not UnavailableException && IsUnavailable(e))
        {
            throw new UnavailableException("The database cannot be used right now.", e);
        }
    }
}
