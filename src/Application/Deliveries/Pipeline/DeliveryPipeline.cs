using Causeloop.Application.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// The delivery pipeline of one instance, four stages that run side by side:
/// <list type="number">
/// <item><b>fan-out</b>: woken by <see cref="WorkSignal"/> (NOTIFY, this instance's commits), turns outbox events into
/// deliveries batch by batch (<see cref="FanOutEvents"/>), leasing in the same transaction what the free slots allow of
/// them and starting those at once, and waking the claimer when it left deliveries to it;</item>
/// <item><b>claimer</b>: leases due deliveries for the free slots (<see cref="DeliveryOptions.MaxConcurrency"/> attempts
/// under way at once) through <see cref="ClaimDueDeliveries"/>;</item>
/// <item><b>senders</b>: one task per claimed delivery, through <see cref="IAttemptSender"/>; each answer adapts its
/// endpoint's limit;</item>
/// <item><b>recorder</b>: <see cref="AttemptRecorder"/>, batches of finished attempts, each recorded batch waking the
/// claimer (its attempts freed their endpoints' slots).</item>
/// </list>
/// Fan-out and claims do not wait for each other: a burst of events being fanned out never delays the claims of
/// deliveries already made. Both also poll. <see cref="LeaseKeeper"/> keeps each delivery's lease alive from its claim
/// until it is recorded. Any failure of a cycle is logged and the next cycle runs: the pipeline never stops the host.
/// What is not recorded is lost only as work: its lease expires and the delivery is attempted again.
/// </summary>
public sealed partial class DeliveryPipeline(
    FanOutEvents fanOut,
    ClaimDueDeliveries claims,
    AttemptRecorder recorder,
    IAttemptSender sender,
    LeaseKeeper leases,
    WorkSignal outboxSignal,
    IOptions<DeliveryOptions> settings,
    ILogger<DeliveryPipeline> logger) : IDisposable
{
    private readonly DeliveryOptions _options = settings.Value;
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _attempts = [];
    private readonly WorkSignal _claimSignal = new();
    private readonly CancellationTokenSource _keeping = new();
    private Task _recording = Task.CompletedTask;
    private Task _keeper = Task.CompletedTask;
    private int _reserved;

    /// <summary>Runs fan-out and claimer until <paramref name="stoppingToken"/> fires, and the recorder and lease keeper until <see cref="DrainAsync"/>.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        _recording = Task.Run(() => recorder.RunAsync(_claimSignal.Set, _keeping.Token), CancellationToken.None);
        _keeper = Task.Run(() => leases.RunAsync(_keeping.Token), CancellationToken.None);
        var fanningOut = Task.Run(() => LoopAsync(FanOutAsync, outboxSignal, stoppingToken), CancellationToken.None);
        await LoopAsync(ClaimAsync, _claimSignal, stoppingToken);
        await fanningOut;
    }

    /// <summary>Wakes the claimer now: deliveries were made without the outbox (a redelivery, a recover), or may have been while nobody listened.</summary>
    public void WakeClaimer() => _claimSignal.Set();

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
        recorder.Complete();
        await _recording.WaitAsync(_options.DrainMargin, cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await _keeping.CancelAsync();
        await _keeper;
    }

    public void Dispose()
    {
        _keeping.Dispose();
        _claimSignal.Dispose();
    }

    /// <summary>Runs <paramref name="cycle"/>, then waits for <paramref name="wake"/> or the poll interval, until stopping.</summary>
    private async Task LoopAsync(Func<CancellationToken, Task> cycle, WorkSignal wake, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await cycle(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogCycleFailed(logger, e);
            }

            await wake.WaitAsync(_options.PollInterval, stoppingToken);
        }
    }

    private async Task FanOutAsync(CancellationToken stoppingToken)
    {
        // Batch after batch while they come full, each leasing what the free slots allow of its own deliveries (started at
        // once); the claimer takes the rest.
        var leftForClaims = false;
        while (true)
        {
            var slots = ReserveSlots();
            int taken;
            try
            {
                int made;
                IReadOnlyList<ClaimedDelivery> leased;
                (taken, made, leased) = await fanOut.RunBatchAsync(slots, stoppingToken);
                foreach (var delivery in leased)
                {
                    Start(delivery);
                }

                leftForClaims |= leased.Count < made;
            }
            finally
            {
                ReleaseSlots(slots);
            }

            if (taken < _options.BatchSize)
            {
                break;
            }

            if (leftForClaims)
            {
                _claimSignal.Set();
            }
        }

        // The claimer is woken only when the fan-out left deliveries to it. A fan-out that leased all it made wakes nobody:
        // an empty claim per event was half the worker's statements at 200 events/s. Deliveries made without the outbox (a
        // redelivery, a recover) wake the claimer themselves (WakeClaimer); each recorded batch wakes it; and it polls.
        if (leftForClaims)
        {
            _claimSignal.Set();
        }
    }

    /// <summary>
    /// Reserves every free slot for one lease (the fan-out's or a claim's), so that the two, leasing side by side, never
    /// start more than <see cref="DeliveryOptions.MaxConcurrency"/> attempts together; released once its leases are started.
    /// </summary>
    private int ReserveSlots()
    {
        lock (_lock)
        {
            var free = Math.Max(0, _options.MaxConcurrency - _attempts.Count - _reserved);
            _reserved += free;
            return free;
        }
    }

    private void ReleaseSlots(int slots)
    {
        lock (_lock)
        {
            _reserved -= slots;
        }
    }

    private async Task ClaimAsync(CancellationToken stoppingToken)
    {
        var take = ReserveSlots(); // one claim fills every free slot it can
        if (take <= 0)
        {
            return;
        }

        IReadOnlyList<ClaimedDelivery> claimed;
        try
        {
            claimed = await claims.ClaimAsync(take, stoppingToken);
            foreach (var delivery in claimed)
            {
                Start(delivery);
            }
        }
        finally
        {
            ReleaseSlots(take);
        }

        if (claimed.Count == take)
        {
            _claimSignal.Set(); // there may be more due
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
            await recorder.EnqueueAsync(new FinishedAttempt(delivery, attempt));
        }
        catch (Exception e)
        {
            // Not recorded: the lease expires and the attempt is made again. Nothing is lost.
            leases.Release(delivery.Id);
            LogAttemptFailed(logger, delivery.Id, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery cycle failed; retrying after the poll interval")]
    private static partial void LogCycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt of delivery {DeliveryId} was not recorded; its lease will expire and it will be retried")]
    private static partial void LogAttemptFailed(ILogger logger, Guid deliveryId, Exception exception);
}
