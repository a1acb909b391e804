using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Outbox;
using Causeloop.Infrastructure.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Causeloop.Infrastructure.Deliveries;

/// <summary>
/// Hosts the <see cref="DeliveryPipeline"/> and LISTENs for NOTIFY from other instances to wake it early
/// (polling makes it correct without). Behind a transaction pooler (<c>Causeloop:Database:Pooling=transaction</c>) it
/// does not LISTEN, which needs a session of its own: polling and this instance's own commits (<see cref="WorkSignal"/>)
/// wake it. On shutdown the pipeline stops claiming, lets attempts under way finish and records them; leases of an
/// instance that died expire and another instance takes them over.
/// </summary>
public sealed partial class DeliveryWorker(
    DeliveryPipeline pipeline,
    NpgsqlDataSource dataSource,
    WorkSignal signal,
    IOptions<DatabaseOptions> database,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = database.Value.PoolsTransactions ? Task.CompletedTask : ListenAsync(stoppingToken);
        await pipeline.RunAsync(stoppingToken);
        await listening;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await pipeline.DrainAsync(cancellationToken);
    }

    /// <summary>
    /// NOTIFY is only a hint: polling carries on while it reconnects. New events wake the fan-out; deliveries made without
    /// the outbox (<see cref="DeliveryStore.DeliveriesPayload"/>: a redelivery, a recover) wake the claimer. Once listening,
    /// it catches up on anything that arrived before.
    /// </summary>
    private Task ListenAsync(CancellationToken stoppingToken) =>
        PostgresListener.RunAsync(
            dataSource,
            EventOutboxWriter.Channel,
            payload =>
            {
                if (payload == DeliveryStore.DeliveriesPayload)
                {
                    pipeline.WakeClaimer();
                }
                else
                {
                    signal.Set();
                }
            },
            listening =>
            {
                if (listening)
                {
                    signal.Set();
                    pipeline.WakeClaimer();
                }
            },
            e => LogListenFailed(logger, e),
            stoppingToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LISTEN connection lost; polling until it is back")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
