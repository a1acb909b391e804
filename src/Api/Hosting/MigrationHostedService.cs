using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Api.Hosting;

/// <summary>Applies migrations before the server listens and before the delivery worker starts.</summary>
public sealed class MigrationHostedService(IConfiguration configuration, ILogger<MigrationHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.Run(() => DatabaseMigrator.Migrate(CauseloopApp.ConnectionString(configuration), logger), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
