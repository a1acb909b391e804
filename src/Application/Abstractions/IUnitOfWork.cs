namespace Causeloop.Application.Abstractions;

/// <summary>The transaction around one command; repositories and the outbox write inside it.</summary>
public interface IUnitOfWork
{
    Task BeginAsync(CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);

    Task RollbackAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="action"/> once the current transaction has committed (never after a rollback).</summary>
    void AfterCommit(Action action);
}
