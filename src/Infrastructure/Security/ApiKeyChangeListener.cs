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
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        database.Value.PoolsTransactions
            ? Task.CompletedTask
            // Until it is back, every request looks its key up in the database.
            : PostgresListener.RunAsync(dataSource, ApiKeyCache.Channel, _ => cache.Clear(), cache.SetListening, e => LogListenFailed(logger, e), stoppingToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LISTEN for API key changes lost; keys are looked up on every request until it is back")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
