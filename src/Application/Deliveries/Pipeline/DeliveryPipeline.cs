using Microsoft.Extensions.Options;
using System.Threading.Channels;
using Causeloop.Application.Common;
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
/// <see cref="LeaseKeeper"/> keeps each delivery's lease alive from its claim until it is recorded.
/// Any failure of a cycle is logged and the next cycle runs: the pipeline never stops the host. A batch the database cannot
/// take yet is kept and tried again; what is still not recorded is lost only as work: its lease expires and the delivery
/// is attempted again.
/// </summary>
public sealed partial class DeliveryPipeline(
    FanOutEvents fanOut,
    ClaimDueDeliveries claims,
    RecordAttempts recorder,
    IAttemptSender sender,
    LeaseKeeper leases,
    WorkSignal signal,
    IOptions<DeliveryOptions> settings,
    ILogger<DeliveryPipeline> logger) : IDisposable
{
    private readonly DeliveryOptions _options = settings.Value;

    private readonly Lock _lock = new();
    private readonly HashSet<Task> _attempts = [];
    private readonly Channel<FinishedAttempt> _finished = Channel.CreateBounded<FinishedAttempt>(
        new BoundedChannelOptions(settings.Value.RecordQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _keeping = new();
    private Task _recording = Task.CompletedTask;
    private Task _keeper = Task.CompletedTask;

    /// <summary>Runs the claimer until <paramref name="stoppingToken"/> fires, and the recorder and lease keeper until <see cref="DrainAsync"/>.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        _recording = Task.Run(RecordAsync, CancellationToken.None);
        _keeper = Task.Run(() => leases.RunAsync(_keeping.Token), CancellationToken.None);
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

            await signal.WaitAsync(_options.PollInterval, stoppingToken);
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

        await Task.WhenAll(running).WaitAsync(_options.AttemptTimeout + _options.DrainMargin, cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _finished.Writer.TryComplete();
        await _recording.WaitAsync(_options.DrainMargin, cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await _keeping.CancelAsync();
        await _keeper;
    }

    private async Task ClaimAsync(CancellationToken stoppingToken)
    {
        await fanOut.RunAsync(stoppingToken);
        int free;
        lock (_lock)
        {
            free = _options.MaxConcurrency - _attempts.Count;
        }

        if (free <= 0)
        {
            return;
        }

        var take = Math.Min(free, _options.BatchSize);
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
        leases.Hold(delivery);
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
            CauseloopTelemetry.CountAttempt(attempt); // here, once: its batch may take more than one try to record
            claims.Observe(delivery.WebhookId, attempt);
            await _finished.Writer.WriteAsync(new FinishedAttempt(delivery, attempt), CancellationToken.None);
        }
        catch (Exception e)
        {
            // Not recorded: the lease expires and the attempt is made again. Nothing is lost.
            leases.Release(delivery.Id);
            LogAttemptFailed(logger, delivery.Id, e);
        }
    }

    private async Task RecordAsync()
    {
        var batch = new List<FinishedAttempt>(_options.RecordBatchSize);
        var reader = _finished.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _options.RecordBatchSize && reader.TryRead(out var finished))
            {
                batch.Add(finished);
            }

            await RecordBatchAsync(batch);
            signal.Set(); // recorded attempts free their endpoints' slots
        }
    }

    /// <summary>
    /// Records the batch. While the database cannot take it (connections refused or cut) the batch is kept and tried again
    /// every poll interval, its leases kept alive by the <see cref="LeaseKeeper"/>: left unrecorded, its attempts would hold
    /// their endpoints' slots until the leases expired, and be sent again. Recording is idempotent (a lease no longer held
    /// writes only the attempt's log line).
    /// </summary>
    private async Task RecordBatchAsync(List<FinishedAttempt> batch)
    {
        try
        {
            while (true)
            {
                try
                {
                    foreach (var outcome in await recorder.RecordAsync(batch, CancellationToken.None))
                    {
                        if (outcome.Decision.DisableWebhookReason is { } reason)
                        {
                            LogWebhookDisabled(logger, outcome.Attempt.Delivery.WebhookId, reason);
                        }
                    }

                    return;
                }
                catch (UnavailableException e) when (!_keeping.IsCancellationRequested)
                {
                    LogRecordDeferred(logger, batch.Count, e);
                    await Task.Delay(_options.PollInterval, _keeping.Token);
                }
            }
        }
        catch (Exception e)
        {
            // Not recorded (or stopping): their leases expire and the attempts are made again. Nothing is lost.
            LogRecordFailed(logger, batch.Count, e);
        }
        finally
        {
            batch.ForEach(a => leases.Release(a.Delivery.Id));
        }
    }

    public void Dispose() => _keeping.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery cycle failed; retrying after the poll interval")]
    private static partial void LogCycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt of delivery {DeliveryId} was not recorded; its lease will expire and it will be retried")]
    private static partial void LogAttemptFailed(ILogger logger, Guid deliveryId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} attempts was not recorded; their leases will expire and they will be retried")]
    private static partial void LogRecordFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} attempts cannot be recorded yet (the database cannot be used); keeping it and trying again after the poll interval")]
    private static partial void LogRecordDeferred(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {WebhookId} disabled: {Reason}")]
    private static partial void LogWebhookDisabled(ILogger logger, Guid webhookId, string reason);
}
