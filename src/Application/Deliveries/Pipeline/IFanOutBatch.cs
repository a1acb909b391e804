using Causeloop.Domain.Webhooks;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>Outbox events locked for fan-out, and the webhooks that may receive them. Disposing without completing releases them.</summary>
public interface IFanOutBatch : IAsyncDisposable
{
    IReadOnlyList<OutboxItem> Events { get; }

    /// <summary>
    /// Per workspace of <see cref="Events"/>: its enabled outbound webhooks whose stored subscription can match one of the
    /// events' types (<see cref="Subscription.CandidateTypes"/>), and the targets of test sends, enabled or not.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, IReadOnlyList<Subscriber>>> CandidatesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts <paramref name="deliveries"/> (pending, due at <paramref name="now"/>), takes <see cref="Events"/> off the
    /// outbox, leases what <paramref name="lease"/> allows of <paramref name="leasable"/> (the same rules as a claim, up to its
    /// limit; none when it is null), and commits; returns the deliveries leased.
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> CompleteAsync(
        IReadOnlyList<NewDelivery> deliveries, DateTime now, ClaimRequest? lease, IReadOnlyList<NewDelivery> leasable, CancellationToken cancellationToken);
}
