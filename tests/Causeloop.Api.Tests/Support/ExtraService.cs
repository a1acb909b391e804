namespace Causeloop.Api.Tests.Support;

/// <summary>One more service, on a database of its own, for a test that needs other settings than its fixture's; dropped with it.</summary>
public sealed class ExtraService : IAsyncDisposable
{
    private ExtraService(ServiceHost host) => Host = host;

    public ServiceHost Host { get; }

    public static async Task<ExtraService> StartAsync(IDictionary<string, string?> settings)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            return new ExtraService(await ServiceHost.StartAsync(database, settings));
        }
        catch
        {
            await TestPostgres.DropDatabaseAsync(database);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(Host.ConnectionString);
    }
}
