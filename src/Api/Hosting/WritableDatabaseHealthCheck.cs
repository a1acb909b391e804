using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Causeloop.Api.Hosting;

/// <summary>
/// Readiness: the database answers and takes writes. A node that answers but is read-only (a standby, or a node
/// pg_auto_failover still holds read-only after promoting it) is not ready: every write would be refused with a 503.
/// </summary>
public sealed class WritableDatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select current_setting('transaction_read_only')", connection);
            return await command.ExecuteScalarAsync(cancellationToken) is "off"
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, "The database answers but takes no writes (read-only).");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database cannot be reached.", e);
        }
    }
}
