using Causeloop.Application.Common;
using Causeloop.Infrastructure.Deliveries;
using Causeloop.Infrastructure.Persistence;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Causeloop.Infrastructure.Observability;

/// <summary>
/// The queue gauges: <c>causeloop_deliveries_pending</c> (deliveries not finished: pending, in flight, or waiting for a
/// retry), <c>causeloop_delivery_oldest_pending_age_seconds</c> (how long the most overdue delivery of an enabled webhook
/// with nothing under way has been due: a delivery the worker should have picked up) and <c>causeloop_outbox_lag_seconds</c>
/// (how long the oldest event has waited for its fan-out). Sampled every interval by one round trip of index look-ups
/// (partial indexes on unfinished rows, one probe per webhook with unfinished deliveries, and the outbox order), never a
/// table scan, and never per scrape.
/// </summary>
public sealed partial class QueueGauges(RederivableWork work, TimeProvider time, ILogger<QueueGauges> logger, IOptions<QueueGaugeOptions> options) : BackgroundService
{
    /// <summary>One reading of the three gauges.</summary>
    public sealed record Sample(long Pending, double OldestPendingAgeSeconds, double OutboxLagSeconds);

    private static Sample _latest = new(0, 0, 0);

    static QueueGauges()
    {
        CauseloopTelemetry.Meter.CreateObservableGauge("causeloop.deliveries.pending", () => Volatile.Read(ref _latest).Pending,
            description: "Deliveries not finished: pending, in flight, or waiting for a retry.");
        CauseloopTelemetry.Meter.CreateObservableGauge("causeloop.delivery.oldest_pending_age", () => Volatile.Read(ref _latest).OldestPendingAgeSeconds,
            unit: "s", description: "How long the most overdue delivery of an enabled webhook with nothing under way has been due.");
        CauseloopTelemetry.Meter.CreateObservableGauge("causeloop.outbox.lag", () => Volatile.Read(ref _latest).OutboxLagSeconds,
            unit: "s", description: "How long the oldest event in the outbox has waited for its fan-out.");
    }

    /// <summary>Reads the gauges from the database and publishes them; returns the reading.</summary>
    public async Task<Sample> SampleAsync(CancellationToken cancellationToken)
    {
        // The oldest due delivery of an enabled webhook with nothing under way: one the worker should have picked up. A
        // disabled webhook's deliveries wait by design, and a webhook working through a backlog at its limit is not stuck.
        var sql = $"""
            {DeliverySql.ActiveWebhooks}
            select (select count(*) from deliveries where status in {DeliverySql.Unfinished}),
                   (select min(x.next_attempt_at)
                    from active a
                    join webhooks w on w.id = a.webhook_id and w.enabled
                    cross join lateral (
                        select d.next_attempt_at from deliveries d
                        where d.webhook_id = a.webhook_id and d.status in {DeliverySql.Unfinished} and d.status <> {DeliverySql.InFlight} and d.next_attempt_at <= @now
                        order by d.next_attempt_at limit 1) x
                    where not exists (select 1 from deliveries f where f.webhook_id = a.webhook_id and {DeliverySql.UnderWay})),
                   (select min(created_at) from outbox)
            """;
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await work.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
        command.Parameters.Add(new NpgsqlParameter<Guid>("from", Guid.Empty));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        double Age(int column) => reader.IsDBNull(column) ? 0 : Math.Max(0, (now - reader.GetDateTime(column)).TotalSeconds);
        var sample = new Sample(reader.GetInt64(0), Age(1), Age(2));
        Volatile.Write(ref _latest, sample);
        return sample;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, time);
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
