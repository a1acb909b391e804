using Causeloop.Domain.Deliveries;
using Causeloop.Infrastructure.Persistence;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Causeloop.Infrastructure.Retention;

/// <summary>
/// Deletes what retention allows, oldest first, in small batches: attempts and deliveries that ended
/// (<see cref="DeliveryStatus.Final"/>) before the cut-off, then events older than it that no delivery
/// and no outbox row still needs, then inbound events older than it. Pending, in-flight and failed deliveries are never
/// touched, nor the events they need. Each statement deletes at most <see cref="RetentionOptions.BatchSize"/> rows,
/// skips rows another transaction holds (<c>skip locked</c>), and commits on its own, so it never holds long locks
/// and several instances can run it at once.
/// </summary>
public sealed partial class RetentionJob(NpgsqlDataSource dataSource, IOptions<RetentionOptions> settings, TimeProvider time, ILogger<RetentionJob> logger) : BackgroundService
{
    private readonly RetentionOptions options = settings.Value;

    private static readonly (string Table, string Sql)[] Steps =
    [
        ("delivery_attempts", """
            delete from delivery_attempts a using (
                select a.delivery_id, a.attempt from delivery_attempts a
                join deliveries d on d.id = a.delivery_id
                where d.status = any(@final) and d.updated_at < @cutoff
                limit @batch for update of a skip locked
            ) old
            where a.delivery_id = old.delivery_id and a.attempt = old.attempt
            """),
        ("deliveries", """
            delete from deliveries d using (
                select d.id from deliveries d
                where d.status = any(@final) and d.updated_at < @cutoff
                  and not exists (select 1 from delivery_attempts a where a.delivery_id = d.id)
                limit @batch for update skip locked
            ) old
            where d.id = old.id
            """),
        ("events", """
            delete from events e using (
                select e.id from events e
                where e.created_at < @cutoff
                  and not exists (select 1 from deliveries d where d.event_id = e.id)
                  and not exists (select 1 from outbox o where o.event_id = e.id)
                limit @batch for update skip locked
            ) old
            where e.id = old.id
            """),
        ("inbound_events", """
            delete from inbound_events i using (
                select id from inbound_events where received_at < @cutoff limit @batch for update skip locked
            ) old
            where i.id = old.id
            """),
    ];

    /// <summary>One pass: every step until it has nothing left older than the cut-off. Rows deleted per table.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RunOnceAsync(CancellationToken cancellationToken)
    {
        var deleted = Steps.ToDictionary(s => s.Table, _ => 0L);
        if (options.Period <= TimeSpan.Zero)
        {
            return deleted;
        }

        var cutoff = time.GetUtcNow().UtcDateTime - options.Period;
        foreach (var (table, sql) in Steps)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.Add(new NpgsqlParameter<DateTime>("cutoff", cutoff));
                command.Parameters.Add(new NpgsqlParameter<int>("batch", options.BatchSize));
                command.Parameters.Add(new NpgsqlParameter<string[]>("final", [.. DeliveryStatus.Final]));
                var rows = await command.ExecuteNonQueryAsync(cancellationToken);
                deleted[table] += rows;
                if (rows < options.BatchSize)
                {
                    break;
                }
            }
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Period <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var deleted = await RunOnceAsync(stoppingToken);
                    if (deleted.Values.Sum() > 0)
                    {
                        LogDeleted(logger, deleted["delivery_attempts"], deleted["deliveries"], deleted["events"], deleted["inbound_events"]);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next interval tries again; nothing it does is partial beyond a committed batch.
                    LogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Attempts} attempts, {Deliveries} deliveries, {Events} events, {Inbound} inbound events")]
    private static partial void LogDeleted(ILogger logger, long attempts, long deliveries, long events, long inbound);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The retention job failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
