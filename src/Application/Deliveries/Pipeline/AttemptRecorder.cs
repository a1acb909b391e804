using System.Threading.Channels;
using Causeloop.Application.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// The pipeline's recording stage: finished attempts queue here (bounded: senders wait when it is full) and are recorded
/// in batches of whatever has finished since the last one (up to <see cref="DeliveryOptions.RecordBatchSize"/>), one
/// transaction each through <see cref="RecordAttempts"/>. While the database cannot take a batch, the batch is kept and
/// tried again every poll interval, its leases kept alive by the <see cref="LeaseKeeper"/>: left unrecorded, its attempts
/// would hold their endpoints' slots until the leases expired, and be sent again. Recording is idempotent (a lease no
/// longer held writes only the attempt's log line).
/// </summary>
public sealed partial class AttemptRecorder(RecordAttempts recorder, LeaseKeeper leases, IOptions<DeliveryOptions> settings, ILogger<AttemptRecorder> logger)
{
    private readonly DeliveryOptions _options = settings.Value;
    private readonly Channel<FinishedAttempt> _finished = Channel.CreateBounded<FinishedAttempt>(
        new BoundedChannelOptions(settings.Value.RecordQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues a finished attempt (waits while the queue is full).</summary>
    public ValueTask EnqueueAsync(FinishedAttempt attempt) => _finished.Writer.WriteAsync(attempt, CancellationToken.None);

    /// <summary>No more attempts will be queued: <see cref="RunAsync"/> ends once the queue is recorded.</summary>
    public void Complete() => _finished.Writer.TryComplete();

    /// <summary>Records until <see cref="Complete"/>; <paramref name="recorded"/> runs after each batch (its attempts free their slots).</summary>
    /// <param name="giveUp">Stops retrying a batch the database cannot take (shutdown).</param>
    public async Task RunAsync(Action recorded, CancellationToken giveUp)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var batch = new List<FinishedAttempt>(_options.RecordBatchSize);
        var reader = _finished.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _options.RecordBatchSize && reader.TryRead(out var finished))
            {
                batch.Add(finished);
            }

            await RecordBatchAsync(batch, giveUp);
            recorded();
        }
    }

    private async Task RecordBatchAsync(List<FinishedAttempt> batch, CancellationToken giveUp)
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
                catch (UnavailableException e) when (!giveUp.IsCancellationRequested)
                {
                    LogRecordDeferred(logger, batch.Count, e);
                    await Task.Delay(_options.PollInterval, giveUp);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} attempts was not recorded; their leases will expire and they will be retried")]
    private static partial void LogRecordFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} attempts cannot be recorded yet (the database cannot be used); keeping it and trying again after the poll interval")]
    private static partial void LogRecordDeferred(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {WebhookId} disabled: {Reason}")]
    private static partial void LogWebhookDisabled(ILogger logger, Guid webhookId, string reason);
}
