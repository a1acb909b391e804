namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>Records finished attempts, one transaction per batch: lock and read, then write, then commit (<see cref="IAttemptRecording"/>).</summary>
public interface IAttemptStore
{
    Task<IAttemptRecording> BeginAsync(CancellationToken cancellationToken);
}
