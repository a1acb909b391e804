using System.Threading.Channels;
using Causeloop.Application.Common;
using Causeloop.Domain.Deliveries;
using Causeloop.Infrastructure.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Causeloop.Infrastructure.Delivery;

/// <summary>
/// The delivery pipeline of one instance: <b>claim</b> (fan outbox events out into deliveries, lease due
/// deliveries within each endpoint's adaptive limit) → <b>send</b> (attempts under way at once, bounded by
/// <see cref="DeliveryOptions.MaxConcurrency"/>) → <b>record</b> (finished attempts written in batches, one
/// transaction each), joined by a channel. LISTEN/NOTIFY, this instance's own commits and finished attempts wake
/// the claimer early; polling makes it correct without. On shutdown it stops claiming, lets attempts under way
/// finish and records them; leases of an instance that died expire and another instance takes them over.
/// </summary>
public sealed partial class DeliveryWorker(
    DeliveryWorkStore queue,
    SignedHttpSender sender,
    NpgsqlDataSource dataSource,
    WorkSignal signal,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private readonly DeliveryOptions _options = options.Value;
    private readonly RetrySchedule _schedule = options.Value.Schedule();
    private readonly WorkSignal _signal = signal;
    private readonly Lock _attemptsLock = new();
    private readonly HashSet<Task> _attempts = [];
    private readonly Channel<FinishedAttempt> _finished = Channel.CreateBounded<FinishedAttempt>(
        new BoundedChannelOptions(options.Value.RecordQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _endpointsLock = new();
    private readonly Dictionary<Guid, AdaptiveConcurrency> _endpoints = [];
    private Task _recorder = Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _recorder = Task.Run(RecordFinishedAsync, CancellationToken.None);
        var listening = ListenAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogCycleFailed(logger, e);
            }

            await _signal.WaitAsync(_options.PollInterval, stoppingToken);
        }

        await listening;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Attempts under way finish and are recorded; the host's shutdown timeout bounds the wait.
        Task[] running;
        lock (_attemptsLock)
        {
            running = [.. _attempts];
        }

        await Task.WhenAll(running).WaitAsync(_options.AttemptTimeout + TimeSpan.FromSeconds(2), cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _finished.Writer.TryComplete();
        await _recorder.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>One cycle: fan out everything waiting, then fill the free slots with due deliveries.</summary>
    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        // A full batch means there may be more; a bounded number per cycle, so sending is never starved.
        for (var batch = 0; batch < _options.FanOutBatchesPerCycle; batch++)
        {
            if (await queue.FanOutAsync(time.UtcNow(), _options.BatchSize, stoppingToken) < _options.BatchSize)
            {
                break;
            }
        }

        int free;
        lock (_attemptsLock)
        {
            free = _options.MaxConcurrency - _attempts.Count;
        }

        if (free <= 0)
        {
            return;
        }

        var now = time.UtcNow();
        var take = Math.Min(free, _options.BatchSize);
        var claimed = await queue.ClaimAsync(now, take, _options.PerEndpointConcurrency, EndpointLimits(now), now + _options.Lease, stoppingToken);
        foreach (var delivery in claimed)
        {
            Start(delivery);
        }

        if (claimed.Count == take)
        {
            _signal.Set(); // there may be more due
        }
    }

    private void Start(ClaimedDelivery delivery)
    {
        // Registered under the lock before it can finish, so an attempt that ends at once cannot leak a slot.
        lock (_attemptsLock)
        {
            var attempt = AttemptAsync(delivery);
            if (!attempt.IsCompleted)
            {
                _attempts.Add(attempt);
                _ = attempt.ContinueWith(
                    t =>
                    {
                        lock (_attemptsLock)
                        {
                            _attempts.Remove(t);
                        }

                        _signal.Set();
                    },
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private async Task AttemptAsync(ClaimedDelivery delivery)
    {
        await Task.Yield(); // run the attempt off the claimer's path
        try
        {
            // Not tied to the stopping token: an attempt under way at shutdown is finished and recorded.
            var attempt = await sender.SendAsync(delivery, CancellationToken.None);
            Observe(delivery.WebhookId, attempt);
            await _finished.Writer.WriteAsync(new FinishedAttempt(delivery, attempt), CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not recorded: the lease expires and the attempt is made again. Nothing is lost.
            LogAttemptFailed(logger, delivery.Id, e);
        }
    }

    /// <summary>Records finished attempts in batches: whatever has finished since the last batch, one transaction.</summary>
    private async Task RecordFinishedAsync()
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

            try
            {
                var recorded = await queue.RecordAsync(batch, _schedule, _options.DisableAfter, time.UtcNow(), CancellationToken.None);
                foreach (var (attempt, decision) in recorded)
                {
                    if (decision.DisableWebhookReason is { } reason)
                    {
                        LogWebhookDisabled(logger, attempt.Delivery.WebhookId, reason);
                    }
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Not recorded: their leases expire and the attempts are made again. Nothing is lost.
                LogRecordFailed(logger, batch.Count, e);
            }

            _signal.Set(); // recorded attempts free their endpoints' slots
        }
    }

    private void Observe(Guid webhookId, AttemptRecord attempt)
    {
        lock (_endpointsLock)
        {
            if (!_endpoints.TryGetValue(webhookId, out var endpoint))
            {
                endpoint = new AdaptiveConcurrency(_options.PerEndpointConcurrency, _options.MaxPerEndpointConcurrency, _options.QuickAnswer);
                _endpoints[webhookId] = endpoint;
            }

            endpoint.Observe(attempt.Result, TimeSpan.FromMilliseconds(attempt.DurationMs), time.GetUtcNow());
        }
    }

    /// <summary>Each endpoint's current limit where it differs from the default; endpoints back at rest are forgotten.</summary>
    private EndpointLimits EndpointLimits(DateTime now)
    {
        var at = new DateTimeOffset(now, TimeSpan.Zero);
        lock (_endpointsLock)
        {
            if (_endpoints.Count == 0)
            {
                return Delivery.EndpointLimits.None;
            }

            var ids = new List<Guid>(_endpoints.Count);
            var limits = new List<int>(_endpoints.Count);
            foreach (var (id, endpoint) in _endpoints)
            {
                if (endpoint.IsAtRest(at) && _endpoints.Count > _options.EndpointStatesKept)
                {
                    _endpoints.Remove(id);
                    continue;
                }

                ids.Add(id);
                limits.Add(endpoint.Limit(at));
            }

            return new EndpointLimits([.. ids], [.. limits]);
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => _signal.Set();
                await using (var listen = new NpgsqlCommand($"listen {PostgresOutbox.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _signal.Set(); // catch up on anything that arrived while not listening
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                // NOTIFY is only a hint; polling carries on while we reconnect.
                LogListenFailed(logger, e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "LISTEN connection lost; polling until it is back")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
