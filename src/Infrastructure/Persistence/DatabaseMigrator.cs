using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>Applies the embedded <c>Migrations/*.sql</c> scripts in name order, each once (DbUp journal table <c>schemaversions</c>).</summary>
public static class DatabaseMigrator
{
    public static void Migrate(string connectionString, ILogger logger)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.Contains(".Migrations.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogTo(new DbUpLog(logger))
            .Build();

        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migration failed at {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
        }
    }
}
