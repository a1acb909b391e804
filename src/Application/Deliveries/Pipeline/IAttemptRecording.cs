namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// One recording transaction, in three steps. <see cref="LockAsync"/> locks the attempts' webhooks and deliveries (in id
/// order, so two recorders cannot deadlock) and reads their state; <see cref="WriteAsync"/> writes what the rules decided
/// from it; <see cref="CommitAsync"/> commits. Disposing without committing rolls back. A database that cannot be used
/// throws <see cref="Common.UnavailableException"/>.
/// </summary>
public interface IAttemptRecording : IAsyncDisposable
{
    Task<RecordingSnapshot> LockAsync(IReadOnlyList<FinishedAttempt> attempts, CancellationToken cancellationToken);

    Task WriteAsync(RecordedChanges changes, DateTime now, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}
