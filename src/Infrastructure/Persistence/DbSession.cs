using System.Data;
using Causeloop.Application.Abstractions;
using Npgsql;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>
/// One connection per scope (opened on first use) and the current transaction, if a command began one.
/// Every Dapper call passes <see cref="Transaction"/>.
/// </summary>
public sealed class DbSession(NpgsqlDataSource dataSource) : IUnitOfWork, IAsyncDisposable
{
    private NpgsqlConnection? _connection;
    private readonly List<Action> _afterCommit = [];

    public NpgsqlTransaction? Transaction { get; private set; }

    public async ValueTask<NpgsqlConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            _connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        else if (_connection.State != ConnectionState.Open)
        {
            await _connection.OpenAsync(cancellationToken);
        }

        return _connection;
    }

    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (Transaction is not null)
        {
            throw new InvalidOperationException("A transaction is already open in this scope.");
        }

        Transaction = await DatabaseErrors.TranslateAsync(async () =>
        {
            var connection = await ConnectionAsync(cancellationToken);
            return await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        });
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var transaction = Transaction ?? throw new InvalidOperationException("No transaction to commit.");
        Transaction = null;
        await using (transaction)
        {
            try
            {
                await transaction.CommitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw DatabaseErrors.Translate(e, committing: true);
            }
        }

        var actions = _afterCommit.ToArray();
        _afterCommit.Clear();
        foreach (var action in actions)
        {
            action();
        }
    }

    public void AfterCommit(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (Transaction is null)
        {
            throw new InvalidOperationException("No transaction to run after.");
        }

        _afterCommit.Add(action);
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        var transaction = Transaction;
        Transaction = null;
        _afterCommit.Clear();
        if (transaction is null)
        {
            return;
        }

        await using (transaction)
        {
            try
            {
                await transaction.RollbackAsync(cancellationToken);
            }
            catch (NpgsqlException)
            {
                // The connection is broken; the server rolls the transaction back on its own.
            }
            catch (InvalidOperationException)
            {
                // Already completed.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RollbackAsync(CancellationToken.None);
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
