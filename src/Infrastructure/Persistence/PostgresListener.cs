using Npgsql;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>
/// LISTENs on one channel on a connection of its own until stopped. When the connection is lost (or cannot be opened) it
/// says so and tries again after <see cref="RetryDelay"/>; no failure is fatal. Callers treat a NOTIFY as a hint and tell
/// from <c>listening</c> when a change may have passed unheard (before it listened, and after it stopped).
/// </summary>
public static class PostgresListener
{
    /// <summary>How long to wait before listening again after the connection was lost.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    /// <param name="notified">Runs for each NOTIFY on <paramref name="channel"/>, with its payload.</param>
    /// <param name="listening">Runs with true once LISTEN took effect, and with false when that connection ends.</param>
    /// <param name="lost">Runs when the connection failed or could not be opened.</param>
    public static async Task RunAsync(
        NpgsqlDataSource dataSource, string channel, Action<string> notified, Action<bool> listening, Action<Exception> lost, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(listening);
        ArgumentNullException.ThrowIfNull(lost);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => notified(e.Payload);
                await using (var listen = new NpgsqlCommand($"listen {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                listening(true);
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(stoppingToken);
                    }
                }
                finally
                {
                    listening(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                lost(e);
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
}
