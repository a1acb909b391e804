using System.Net.Sockets;
using Causeloop.Application.Common;
using Npgsql;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>
/// What a failed database call means, in the Application's terms, so that no layer above Infrastructure knows Npgsql: the
/// database cannot be used right now (<see cref="UnavailableException"/>, 503), or it refused a value of the request
/// (<see cref="BadRequestException"/>, 400). Anything else stays what it is: a bug.
/// </summary>
public static class DatabaseErrors
{
    /// <summary>
    /// The connection failed or broke (class 08, which is also what PgBouncer answers when it cannot reach the server or a
    /// client waited too long for one: 08P01), the server refused connections or is shutting down, or the node found does
    /// not take writes (25006: a standby, or a node pg_auto_failover still holds read-only after a promotion).
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        UnavailableException => true,
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300" or "53400" or "25006",
        NpgsqlException => true,
        SocketException => true,
        TimeoutException => true,
        _ when exception.InnerException is { } inner => IsUnavailable(inner),
        _ => false,
    };

    /// <summary>A data exception (SQLSTATE class 22): a value the database cannot store, e.g. a NUL in text.</summary>
    public static bool IsRefusedValue(Exception exception) => exception is PostgresException { SqlState: var state } && state.StartsWith("22", StringComparison.Ordinal);

    /// <summary>The Application's exception for <paramref name="exception"/>; <paramref name="committing"/> when it was thrown by a COMMIT.</summary>
    public static Exception Translate(Exception exception, bool committing = false)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (committing)
        {
            return new UnavailableException("The database did not commit the write; nothing was acknowledged. Retry (with the same dedupe id).", exception);
        }

        if (exception is UnavailableException or BadRequestException)
        {
            return exception;
        }

        if (IsUnavailable(exception))
        {
            return new UnavailableException("The database cannot be reached. Nothing was changed; try again.", exception);
        }

        return IsRefusedValue(exception) ? new BadRequestException("body", "The request holds a value that cannot be stored.") : exception;
    }

    /// <summary>Runs <paramref name="call"/>, turning its database failures into the Application's exceptions (<see cref="Translate"/>).</summary>
    public static async Task<T> TranslateAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (Exception e) when (Translate(e) is var translated && !ReferenceEquals(translated, e))
        {
            throw translated;
        }
    }
}
