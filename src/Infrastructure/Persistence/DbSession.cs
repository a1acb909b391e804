using System.Data;
using Causeloop.Application.Abstractions;
using Npgsql;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>
/// One connection per scope (opened on first use) and the current transaction, if a command began one.
/// Every Dapper call passes <see cref="Transaction"/>. While a query reads from the read replica
/// (<see cref="ReadFromReplica"/>), <see cref="ConnectionAsync"/> is a connection to the replica instead (opened on first
/// use too); a scope that has begun a transaction never reads from it again.
/// </summary>
public sealed class DbSession(NpgsqlDataSource dataSource, ReadReplica replica) : IUnitOfWork, IAsyncDisposable
{
    private NpgsqlConnection? _connection;
    private NpgsqlConnection? _replicaConnection;
    private bool _replicaReads;
    private bool _wrote;
    private readonly List<Action> _afterCommit = [];

    public NpgsqlTransaction? Transaction { get; private set; }

    public async ValueTask<NpgsqlConnection> ConnectionAsync(CancellationToken cancellationToken) => _replicaReads
        ? _replicaConnection = await OpenAsync(_replicaConnection, replica.DataSource!, cancellationToken)
        : _connection = await OpenAsync(_connection, dataSource, cancellationToken);

    public bool ReadFromReplica()
    {
        _replicaReads = replica.DataSource is not null && !_wrote && Transaction is null;
        return _replicaReads;
    }

    public void ReadFromPrimary() => _replicaReads = false;

    private static async ValueTask<NpgsqlConnection> OpenAsync(NpgsqlConnection? connection, NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        if (connection is null)
        {
            return await source.OpenConnectionAsync(cancellationToken);
        }

        if (connection.State != ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        return connection;
    }

    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (Transaction is not null)
        {
            throw new InvalidOperationException("A transaction is already open in this scope.");
        }

        _wrote = true;
        _replicaReads = false;

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

        if (_replicaConnection is not null)
        {
            await _replicaConnection.DisposeAsync();
            _replicaConnection = null;
        }
    }
}
