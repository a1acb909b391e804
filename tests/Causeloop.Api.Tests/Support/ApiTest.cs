using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Support;

/// <summary>A fixture with its own database and its own running service.</summary>
public abstract class ApiTest
{
    protected ServiceHost Host { get; private set; } = null!;

    /// <summary>Configuration the fixture's service starts with, on top of the test defaults.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>The connection string the fixture's service uses, given its own database's.</summary>
    protected virtual string ServiceConnectionString(string database) => database;

    [OneTimeSetUp]
    public async Task StartService()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        Host = await ServiceHost.StartAsync(ServiceConnectionString(database), Settings, ConfigureServices);
    }

    [OneTimeTearDown]
    public async Task StopService()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(Host.ConnectionString);
        }
    }
}
