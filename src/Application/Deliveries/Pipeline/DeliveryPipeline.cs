using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// The delivery pipeline of one instance, three stages joined by a channel:
/// <list type="number">
/// <item><b>claimer</b>: on each wake-up, <see cref="FanOutEvents"/> then <see cref="ClaimDueDeliveries"/> for the
/// free slots (<see cref="DeliveryOptions.MaxConcurrency"/> attempts under way at once);</item>
/// <item><b>senders</b>: one task per claimed delivery, through <see cref="IAttemptSender"/>; each answer adapts its
/// endpoint's limit;</item>
/// <item><b>recorder</b>: whatever has finished since its last batch (up to <see cref="DeliveryOptions.RecordBatchSize"/>),
/// one transaction through <see cref="RecordAttempts"/>.</item>
/// </list>
/// <see cref="WorkSignal"/> wakes the claimer (NOTIFY, this instance's commits, recorded attempts); it also polls.
/// Any failure of a cycle is logged and the next cycle runs: the pipeline never stops the host. What was not
/// recorded is lost only as work: its lease expires and the delivery is attempted again.
/// </summary>
public sealed partial class DeliveryPipeline(
    FanOutEvents fanOut,
    ClaimDueDeliveries claims,
    RecordAttempts recorder,
    IAttemptSender sender,
    WorkSignal signal,
    DeliveryOptions options,
    ILogger<DeliveryPipeline> logger)
{
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _attempts = [];
    private readonly Channel<FinishedAttempt> _finished = Channel.CreateBounded<FinishedAttempt>(
        new BoundedChannelOptions(options.RecordQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private Task _recording = Task.CompletedTask;

    /// <summary>Runs the claimer until <paramref name="stoppingToken"/> fires, and the recorder until <see cref="DrainAsync"/>.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        _recording = Task.Run(RecordAsync, CancellationToken.None);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ClaimAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogCycleFailed(logger, e);
            }

            await signal.WaitAsync(options.PollInterval, stoppingToken);
        }
    }

    /// <summary>After the claimer stopped: lets attempts under way finish (up to the attempt timeout) and records them.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        lock (_lock)
        {
            running = [.. _attempts];
        }

        await Task.WhenAll(running).WaitAsync(options.AttemptTimeout + options.DrainMargin, cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _finished.Writer.TryComplete();
        await _recording.WaitAsync(options.DrainMargin, cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task ClaimAsync(CancellationToken stoppingToken)
    {
        await fanOut.RunAsync(stoppingToken);
        int free;
        lock (_lock)
        {
            free = options.MaxConcurrency - _attempts.Count;
        }

        if (free <= 0)
        {
            return;
        }

        var take = Math.Min(free, options.BatchSize);
        var claimed = await claims.ClaimAsync(take, stoppingToken);
        foreach (var delivery in claimed)
        {
            Start(delivery);
        }

        if (claimed.Count == take)
        {
            signal.Set(); // there may be more due
        }
    }

    private void Start(ClaimedDelivery delivery)
    {
        // Registered under the lock before it can be removed, so an attempt that ends at once cannot leak a slot.
        lock (_lock)
        {
            var attempt = SendAsync(delivery);
            _attempts.Add(attempt);
            _ = attempt.ContinueWith(
                t =>
                {
                    lock (_lock)
                    {
                        _attempts.Remove(t);
                    }
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task SendAsync(ClaimedDelivery delivery)
    {
        await Task.Yield(); // off the claimer's path
        try
        {
            // Not tied to the stopping token: an attempt under way at shutdown is finished and recorded.
            var attempt = await sender.SendAsync(delivery, CancellationToken.None);
            claims.Observe(delivery.WebhookId, attempt);
            await _finished.Writer.WriteAsync(new FinishedAttempt(delivery, attempt), CancellationToken.None);
        }
        catch (Exception e)
        {
            // Not recorded: the lease expires and the attempt is made again. Nothing is lost.
            LogAttemptFailed(logger, delivery.Id, e);
        }
    }

    private async Task RecordAsync()
    {
        var batch = new List<FinishedAttempt>(options.RecordBatchSize);
        var reader = _finished.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < options.RecordBatchSize && reader.TryRead(out var finished))
            {
                batch.Add(finished);
            }

            try
            {
                foreach (var outcome in await recorder.RecordAsync(batch, CancellationToken.None))
                {
                    if (outcome.Decision.DisableWebhookReason is { } reason)
                    {
                        LogWebhookDisabled(logger, outcome.Attempt.Delivery.WebhookId, reason);
                    }
                }
            }
            catch (Exception e)
            {
                // Not recorded: their leases expire and the attempts are made again. Nothing is lost.
                LogRecordFailed(logger, batch.Count, e);
            }

            signal.Set(); // recorded attempts free their endpoints' slots
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery cycle failed; retrying after the poll interval")]
    private static partial void LogCycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt of delivery {DeliveryId} was not recorded; its lease will expire and it will be retried")]
    private static partial void LogAttemptFailed(ILogger logger, Guid deliveryId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} attempts was not recorded; their leases will expire and they will be retried")]
    private static partial void LogRecordFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {WebhookId} disabled: {Reason}")]
    private static partial void LogWebhookDisabled(ILogger logger, Guid webhookId, string reason);
}
