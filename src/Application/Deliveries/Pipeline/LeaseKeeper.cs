using Microsoft.Extensions.Options;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// Keeps alive the leases this instance holds, from the claim until the attempt is recorded. A lease is taken for the
/// attempt timeout plus <see cref="DeliveryOptions.LeaseMargin"/> on the database's clock; a delivery still held when less
/// than half the margin is left (its attempt started late on a busy instance, or its record waits behind a slow
/// database) has its lease extended, so no other instance takes over a delivery whose attempt is running or finished.
/// Elapsed time is measured here with a monotonic clock, so a skewed wall clock changes nothing.
/// </summary>
public sealed partial class LeaseKeeper(IClaimStore store, IOptions<DeliveryOptions> settings, ILogger<LeaseKeeper> logger)
{
    private readonly DeliveryOptions _options = settings.Value;

    private readonly ConcurrentDictionary<Guid, Held> _held = new();

    /// <summary>Deliveries held now.</summary>
    public int Count => _held.Count;

    public void Hold(ClaimedDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        _held[delivery.Id] = new Held(delivery.LeaseToken, RenewBy());
    }

    /// <summary>The delivery was recorded (or given up on): its lease is no longer this instance's to keep.</summary>
    public void Release(Guid deliveryId) => _held.TryRemove(deliveryId, out _);

    /// <summary>Renews due leases until <paramref name="cancellationToken"/> fires; failures are logged and retried next tick.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var interval = _options.LeaseMargin / 4 > TimeSpan.FromMilliseconds(100) ? _options.LeaseMargin / 4 : TimeSpan.FromMilliseconds(100);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await RenewAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRenewFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Extends every held lease that is due for it; forgets those no longer held (taken over or finished elsewhere).</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        var due = _held.Where(h => h.Value.RenewBy <= now).Select(h => new HeldLease(h.Key, h.Value.Token)).ToArray();
        if (due.Length == 0)
        {
            return;
        }

        var extended = (await store.ExtendAsync(due, _options.Lease, cancellationToken)).ToHashSet();
        foreach (var lease in due)
        {
            if (!_held.TryGetValue(lease.DeliveryId, out var current) || current.Token != lease.Token)
            {
                continue;
            }

            if (extended.Contains(lease.DeliveryId))
            {
                _held.TryUpdate(lease.DeliveryId, current with { RenewBy = RenewBy() }, current);
            }
            else
            {
                _held.TryRemove(lease.DeliveryId, out _);
            }
        }

        LogRenewed(logger, extended.Count, due.Length);
    }

    /// <summary>When a lease taken now must be renewed: half the margin before it ends.</summary>
    private long RenewBy() => Stopwatch.GetTimestamp() + (long)((_options.Lease - (_options.LeaseMargin / 2)).TotalSeconds * Stopwatch.Frequency);

    private sealed record Held(Guid Token, long RenewBy);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Extended {Extended} of {Due} leases still held")]
    private static partial void LogRenewed(ILogger logger, int extended, int due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not extend the leases this instance holds; retrying")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
