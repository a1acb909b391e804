using System.Collections.Concurrent;
using Causeloop.Application.Common;
using Causeloop.Domain.Deliveries;
using Causeloop.Infrastructure.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Causeloop.Infrastructure.Delivery;

/// <summary>
/// Fans outbox events out into deliveries, leases due deliveries, sends them with bounded concurrency and
/// records each attempt. LISTEN/NOTIFY wakes it early; polling makes it correct without. On shutdown it
/// stops claiming and lets attempts under way finish (up to the attempt timeout); leases of an instance
/// that died expire and another instance takes them over.
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
    private readonly ConcurrentDictionary<Guid, Task> _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
        await Task.WhenAll(_inFlight.Values).WaitAsync(_options.AttemptTimeout + TimeSpan.FromSeconds(2), cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>One cycle: fan out everything waiting, then fill the free slots with due deliveries.</summary>
    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        // A full batch means there may be more; a bounded number per cycle, so sending is never starved.
        for (var batch = 0; batch < 10; batch++)
        {
            if (await queue.FanOutAsync(time.UtcNow(), _options.BatchSize, stoppingToken) < _options.BatchSize)
            {
                break;
            }
        }

        var free = _options.MaxConcurrency - _inFlight.Count;
        if (free <= 0)
        {
            return;
        }

        var now = time.UtcNow();
        var claimed = await queue.ClaimAsync(now, Math.Min(free, _options.BatchSize), _options.PerEndpointConcurrency, now + _options.Lease, stoppingToken);
        foreach (var delivery in claimed)
        {
            // Registered before it starts, so an attempt that ends at once cannot remove itself first and leak a slot.
            var attempt = new Task<Task>(() => AttemptAsync(delivery));
            _inFlight[delivery.Id] = attempt.Unwrap();
            attempt.Start(TaskScheduler.Default);
        }

        if (claimed.Count == Math.Min(free, _options.BatchSize))
        {
            _signal.Set(); // there may be more due
        }
    }

    private async Task AttemptAsync(ClaimedDelivery delivery)
    {
        try
        {
            // Not tied to the stopping token: an attempt under way at shutdown is finished and recorded.
            var attempt = await sender.SendAsync(delivery, CancellationToken.None);
            var decision = await queue.RecordAsync(delivery, attempt, _schedule, _options.DisableAfter, time.UtcNow(), CancellationToken.None);
            if (decision.DisableWebhookReason is { } reason)
            {
                LogWebhookDisabled(logger, delivery.WebhookId, reason);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not recorded: the lease expires and the attempt is made again. Nothing is lost.
            LogAttemptFailed(logger, delivery.Id, e);
        }
        finally
        {
            _inFlight.TryRemove(delivery.Id, out _);
            _signal.Set();
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {WebhookId} disabled: {Reason}")]
    private static partial void LogWebhookDisabled(ILogger logger, Guid webhookId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LISTEN connection lost; polling until it is back")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
