using Dapper;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>Dapper calls on the session's connection and transaction; their database failures become the Application's exceptions (<see cref="DatabaseErrors"/>).</summary>
public static class SessionExtensions
{
    public static async Task<int> ExecuteAsync(this DbSession session, string sql, object? parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return await DatabaseErrors.TranslateAsync(async () =>
        {
            var connection = await session.ConnectionAsync(cancellationToken);
            return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, session.Transaction, cancellationToken: cancellationToken));
        });
    }

    public static async Task<T?> ScalarAsync<T>(this DbSession session, string sql, object? parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return await DatabaseErrors.TranslateAsync(async () =>
        {
            var connection = await session.ConnectionAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, session.Transaction, cancellationToken: cancellationToken));
        });
    }

    public static async Task<T?> SingleOrDefaultAsync<T>(this DbSession session, string sql, object? parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return await DatabaseErrors.TranslateAsync(async () =>
        {
            var connection = await session.ConnectionAsync(cancellationToken);
            return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, parameters, session.Transaction, cancellationToken: cancellationToken));
        });
    }

    public static async Task<IReadOnlyList<T>> ListAsync<T>(this DbSession session, string sql, object? parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return await DatabaseErrors.TranslateAsync(async () =>
        {
            var connection = await session.ConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, session.Transaction, cancellationToken: cancellationToken));
            return (IReadOnlyList<T>)rows.AsList();
        });
    }
}
