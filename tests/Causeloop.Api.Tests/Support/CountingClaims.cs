using Causeloop.Application.Deliveries.Pipeline;

namespace Causeloop.Api.Tests.Support;

/// <summary>Counts an instance's claims (each one a look for due deliveries, so a wake-up or a poll).</summary>
public sealed class CountingClaims
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public IClaimStore Around(IClaimStore inner) => new Store(this, inner);

    private sealed class Store(CountingClaims owner, IClaimStore inner) : IClaimStore
    {
        public Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner._count);
            return inner.ClaimAsync(request, cancellationToken);
        }

        public Task<IReadOnlyList<Guid>> ExtendAsync(IReadOnlyList<HeldLease> leases, TimeSpan lease, CancellationToken cancellationToken) =>
            inner.ExtendAsync(leases, lease, cancellationToken);
    }
}
