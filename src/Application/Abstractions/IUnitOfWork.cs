namespace Causeloop.Application.Abstractions;

/// <summary>The transaction around one command; repositories and the outbox write inside it.</summary>
public interface IUnitOfWork
{
    Task BeginAsync(CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);

    Task RollbackAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="action"/> once the current transaction has committed (never after a rollback).</summary>
    void AfterCommit(Action action);

    /// <summary>
    /// From now on this scope's reads come from the read replica, which may lag the primary, when one is configured and
    /// this scope has not begun a transaction (a scope that wrote reads its own writes from the primary). Returns whether
    /// they do.
    /// </summary>
    bool ReadFromReplica();

    /// <summary>From now on this scope's reads come from the primary.</summary>
    void ReadFromPrimary();
}
