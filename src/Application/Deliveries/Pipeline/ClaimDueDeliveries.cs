using Microsoft.Extensions.Options;
using Causeloop.Domain.Deliveries;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// Leases due deliveries within each endpoint's adaptive limit (<see cref="AdaptiveConcurrency"/>), which it
/// keeps from the answers the endpoints give. An endpoint's learned limit is kept for
/// <see cref="DeliveryOptions.LearnedLimitKept"/> after its last answer, so the next burst starts where the last ended.
/// </summary>
public sealed class ClaimDueDeliveries(IClaimStore store, IOptions<DeliveryOptions> settings, TimeProvider time)
{
    private readonly DeliveryOptions _options = settings.Value;

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, AdaptiveConcurrency> _endpoints = [];

    public Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int limit, CancellationToken cancellationToken) =>
        store.ClaimAsync(Request(time.GetUtcNow(), limit), cancellationToken);

    /// <summary>A lease of up to <paramref name="limit"/> deliveries due at <paramref name="now"/>, within each endpoint's limit.</summary>
    public ClaimRequest Request(DateTimeOffset now, int limit) =>
        new(now.UtcDateTime, limit, _options.PerEndpointConcurrency, Limits(now), _options.Lease);

    /// <summary>Adapts the endpoint's limit to how it answered.</summary>
    public void Observe(Guid webhookId, AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        lock (_lock)
        {
            if (!_endpoints.TryGetValue(webhookId, out var endpoint))
            {
                endpoint = new AdaptiveConcurrency(_options.PerEndpointConcurrency, _options.MaxPerEndpointConcurrency, _options.QuickAnswer);
                _endpoints[webhookId] = endpoint;
            }

            endpoint.Observe(attempt.Result, TimeSpan.FromMilliseconds(attempt.DurationMs), time.GetUtcNow());
        }
    }

    /// <summary>Each remembered endpoint's current limit (0 while paused by a Retry-After).</summary>
    public EndpointLimits Limits(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_endpoints.Count == 0)
            {
                return EndpointLimits.None;
            }

            var ids = new List<Guid>(_endpoints.Count);
            var limits = new List<int>(_endpoints.Count);
            foreach (var (id, endpoint) in _endpoints)
            {
                if (endpoint.IsForgettable(now, _options.LearnedLimitKept))
                {
                    _endpoints.Remove(id);
                    continue;
                }

                ids.Add(id);
                limits.Add(endpoint.Limit(now));
            }

            return new EndpointLimits([.. ids], [.. limits]);
        }
    }
}
