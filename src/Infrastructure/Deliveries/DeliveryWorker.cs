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
    /// <summary>How long to wait before listening again after the LISTEN connection was lost.</summary>
    public static readonly TimeSpan ListenRetryDelay = TimeSpan.FromSeconds(5);

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

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Set();
                await using (var listen = new NpgsqlCommand($"listen {EventOutboxWriter.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                signal.Set(); // catch up on anything that arrived while not listening
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // NOTIFY is only a hint; polling carries on while we reconnect. Any failure is retried, never fatal.
                LogListenFailed(logger, e);
                try
                {
                    await Task.Delay(ListenRetryDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "LISTEN connection lost; polling until it is back")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
