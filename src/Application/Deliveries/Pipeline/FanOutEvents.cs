using Microsoft.Extensions.Options;
using System.Text.Json;
using Causeloop.Application.Common;
using Causeloop.Domain.Webhooks;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// Turns outbox events into deliveries: one per webhook <see cref="Subscription.Delivers"/> names, in the transaction that
/// takes the events off the outbox. That transaction also leases what the free slots allow of the deliveries it made to
/// enabled webhooks, by the claim's rules (<see cref="ClaimDueDeliveries.Request"/>): a fresh event's first attempt does
/// not wait for the next claim.
/// </summary>
public sealed class FanOutEvents(IFanOutStore store, ClaimDueDeliveries claims, IOptions<DeliveryOptions> settings, TimeProvider time)
{
    private readonly DeliveryOptions _options = settings.Value;

    /// <summary>Fans out batch after batch until the outbox is empty; returns how many events were fanned out.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int taken;
        do
        {
            (taken, _, _) = await RunBatchAsync(0, cancellationToken);
            total += taken;
        }
        while (taken == _options.BatchSize); // a full batch means there may be more

        return total;
    }

    /// <summary>The deliveries that <paramref name="events"/> make, given each workspace's candidate webhooks.</summary>
    public IReadOnlyList<NewDelivery> Plan(IReadOnlyList<OutboxItem> events, IReadOnlyDictionary<Guid, IReadOnlyList<Subscriber>> candidates)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(candidates);
        var deliveries = new List<NewDelivery>();
        foreach (var item in events)
        {
            var outgoing = item.Event;
            if (!candidates.TryGetValue(outgoing.WorkspaceId, out var webhooks))
            {
                continue;
            }

            // The envelope is parsed once, and only if a candidate's filter needs it.
            JsonDocument? envelope = null;
            try
            {
                foreach (var webhook in webhooks)
                {
                    if (Subscription.Delivers(webhook, outgoing, () => (envelope ??= JsonDocument.Parse(item.Body)).RootElement))
                    {
                        deliveries.Add(new NewDelivery(Ids.New(time), outgoing.WorkspaceId, webhook.Id, outgoing.Id, item.OrderingKey, item.Seq));
                    }
                }
            }
            finally
            {
                envelope?.Dispose();
            }
        }

        return deliveries;
    }

    /// <summary>
    /// Fans out one batch (up to <see cref="DeliveryOptions.BatchSize"/> events) and leases up to <paramref name="leaseUpTo"/>
    /// of its deliveries; returns how many events it took, how many deliveries it made, and the deliveries leased.
    /// </summary>
    public async Task<(int Taken, int Made, IReadOnlyList<ClaimedDelivery> Leased)> RunBatchAsync(int leaseUpTo, CancellationToken cancellationToken)
    {
        await using var batch = await store.TakeAsync(_options.BatchSize, cancellationToken);
        if (batch.Events.Count == 0)
        {
            return (0, 0, []);
        }

        var candidates = await batch.CandidatesAsync(cancellationToken);
        var deliveries = Plan(batch.Events, candidates);
        var now = time.GetUtcNow();
        var leasable = leaseUpTo <= 0 ? [] : Leasable(deliveries, candidates, leaseUpTo);
        var leased = await batch.CompleteAsync(deliveries, now.UtcDateTime, leasable.Count == 0 ? null : claims.Request(now, leaseUpTo), leasable, cancellationToken);
        return (batch.Events.Count, deliveries.Count, leased);
    }

    /// <summary>The first <paramref name="upTo"/> deliveries to enabled webhooks (a test send to a disabled one waits for a claim, as before).</summary>
    private static List<NewDelivery> Leasable(IReadOnlyList<NewDelivery> deliveries, IReadOnlyDictionary<Guid, IReadOnlyList<Subscriber>> candidates, int upTo)
    {
        var enabled = candidates.Values.SelectMany(w => w).Where(w => w.Enabled).Select(w => w.Id).ToHashSet();
        return [.. deliveries.Where(d => enabled.Contains(d.WebhookId)).Take(upTo)];
    }
}
