using Causeloop.Application.Common;
using Causeloop.Infrastructure.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Causeloop.Infrastructure.Observability;

/// <summary>
/// The queue gauges: <c>causeloop_deliveries_pending</c> (deliveries not finished: pending, in flight, or waiting for a
/// retry), <c>causeloop_delivery_oldest_pending_age_seconds</c> (how long the most overdue delivery has been due and not
/// sent) and <c>causeloop_outbox_lag_seconds</c> (how long the oldest event has waited for its fan-out). Sampled every
/// interval by one round trip of three index look-ups (partial indexes on unfinished rows and the outbox order), never
/// a table scan, and never per scrape.
/// </summary>
public sealed partial class QueueGauges(RederivableWork work, TimeProvider time, ILogger<QueueGauges> logger, TimeSpan interval) : BackgroundService
{
    private sealed record Sample(long Pending, double OldestPendingAgeSeconds, double OutboxLagSeconds);

    private static Sample _latest = new(0, 0, 0);

    static QueueGauges()
    {
        CauseloopTelemetry.Meter.CreateObservableGauge("causeloop.deliveries.pending", () => Volatile.Read(ref _latest).Pending,
            description: "Deliveries not finished: pending, in flight, or waiting for a retry.");
        CauseloopTelemetry.Meter.CreateObservableGauge("causeloop.delivery.oldest_pending_age", () => Volatile.Read(ref _latest).OldestPendingAgeSeconds,
            unit: "s", description: "How long the most overdue delivery has been due without being sent.");
        CauseloopTelemetry.Meter.CreateObservableGauge("causeloop.outbox.lag", () => Volatile.Read(ref _latest).OutboxLagSeconds,
            unit: "s", description: "How long the oldest event in the outbox has waited for its fan-out.");
    }

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            select (select count(*) from deliveries where status in ('pending', 'failed', 'in_flight')),
                   (select min(next_attempt_at) from deliveries where status in ('pending', 'failed') and next_attempt_at <= @now),
                   (select min(created_at) from outbox)
            """;
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await work.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        double Age(int column) => reader.IsDBNull(column) ? 0 : Math.Max(0, (now - reader.GetDateTime(column)).TotalSeconds);
        Volatile.Write(ref _latest, new Sample(reader.GetInt64(0), Age(1), Age(2)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                try
                {
                    await SampleAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSampleFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The queue gauges could not be sampled; they keep their last values")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
