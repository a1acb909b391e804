namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>Turns outbox events into deliveries, a bounded number of batches per call so sending is never starved.</summary>
public sealed class FanOutEvents(IDeliveryWorkStore queue, DeliveryOptions options, TimeProvider time)
{
    /// <summary>Returns how many events were fanned out.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        for (var batch = 0; batch < options.FanOutBatchesPerCycle; batch++)
        {
            var taken = await queue.FanOutAsync(time.GetUtcNow().UtcDateTime, options.BatchSize, cancellationToken);
            total += taken;
            if (taken < options.BatchSize)
            {
                break; // a full batch means there may be more
            }
        }

        return total;
    }
}
