using Microsoft.Extensions.Options;
using Causeloop.Application.Common;
using Causeloop.Domain.Webhooks;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// Turns outbox events into deliveries: one per webhook <see cref="Subscription.Delivers"/> names, in the transaction that
/// takes the events off the outbox. A bounded number of batches per call, so sending is never starved.
/// </summary>
public sealed class FanOutEvents(IFanOutStore store, IOptions<DeliveryOptions> settings, TimeProvider time)
{
    private readonly DeliveryOptions _options = settings.Value;

    /// <summary>Returns how many events were fanned out.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        for (var batch = 0; batch < _options.FanOutBatchesPerCycle; batch++)
        {
            var taken = await FanOutBatchAsync(cancellationToken);
            total += taken;
            if (taken < _options.BatchSize)
            {
                break; // a full batch means there may be more
            }
        }

        return total;
    }

    /// <summary>The deliveries that <paramref name="events"/> make, given each workspace's candidate webhooks.</summary>
    public IReadOnlyList<NewDelivery> Plan(IReadOnlyList<OutgoingEvent> events, IReadOnlyDictionary<Guid, IReadOnlyList<Subscriber>> candidates)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(candidates);
        var deliveries = new List<NewDelivery>();
        foreach (var outgoing in events)
        {
            if (!candidates.TryGetValue(outgoing.WorkspaceId, out var webhooks))
            {
                continue;
            }

            foreach (var webhook in webhooks)
            {
                if (Subscription.Delivers(webhook, outgoing))
                {
                    deliveries.Add(new NewDelivery(Ids.New(time), outgoing.WorkspaceId, webhook.Id, outgoing.Id));
                }
            }
        }

        return deliveries;
    }

    private async Task<int> FanOutBatchAsync(CancellationToken cancellationToken)
    {
        await using var batch = await store.TakeAsync(_options.BatchSize, cancellationToken);
        if (batch.Events.Count == 0)
        {
            return 0;
        }

        var candidates = await batch.CandidatesAsync(cancellationToken);
        await batch.CompleteAsync(Plan(batch.Events, candidates), time.GetUtcNow().UtcDateTime, cancellationToken);
        return batch.Events.Count;
    }
}
