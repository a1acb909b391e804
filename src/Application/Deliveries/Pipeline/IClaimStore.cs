namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// Leases due deliveries (<see cref="Domain.Deliveries.Delivery.IsDue"/>) per webhook, oldest first, so a slow endpoint's
/// backlog never hides the others'; safe with several instances on one database (the per-webhook limit holds across them,
/// and a delivery is leased only if it is still due when it is locked). Leases run on the database's clock.
/// </summary>
public interface IClaimStore
{
    Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken);

    /// <summary>Moves the end of each lease still held to <paramref name="lease"/> from now; returns the deliveries whose lease was extended.</summary>
    Task<IReadOnlyList<Guid>> ExtendAsync(IReadOnlyList<HeldLease> leases, TimeSpan lease, CancellationToken cancellationToken);
}
