namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// The fan-out's storage. <see cref="TakeAsync"/> opens a transaction and locks up to a batch of outbox events (skipping
/// those another instance holds); the batch reads the webhooks that may receive them, and
/// <see cref="IFanOutBatch.CompleteAsync"/> writes the deliveries, takes the events off the outbox and commits.
/// </summary>
public interface IFanOutStore
{
    Task<IFanOutBatch> TakeAsync(int batch, CancellationToken cancellationToken);
}
