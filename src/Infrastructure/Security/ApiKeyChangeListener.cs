using Causeloop.Infrastructure.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Causeloop.Infrastructure.Security;

/// <summary>
/// LISTENs for changes to the API keys (<see cref="ApiKeyCache.Channel"/>) and clears <see cref="ApiKeyCache"/> on each,
/// so that the cache serves only while no change can pass unseen. Behind a transaction pooler it does not LISTEN, and the
/// cache stays off. A lost connection turns the cache off until it is back.
/// </summary>
public sealed partial class ApiKeyChangeListener(
    NpgsqlDataSource dataSource,
    ApiKeyCache cache,
    IOptions<DatabaseOptions> database,
    ILogger<ApiKeyChangeListener> logger) : BackgroundService
{
    /// <summary>How long to wait before listening again after the connection was lost.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Value.PoolsTransactions)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => cache.Clear();
                await using (var listen = new NpgsqlCommand($"listen {ApiKeyCache.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                cache.SetListening(true);
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(stoppingToken);
                    }
                }
                finally
                {
                    cache.SetListening(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Until it is back, every request looks its key up in the database. Any failure is retried, never fatal.
                LogListenFailed(logger, e);
                try
                {
                    await Task.Delay(RetryDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "LISTEN for API key changes lost; keys are looked up on every request until it is back")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
