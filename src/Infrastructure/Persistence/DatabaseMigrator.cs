using DbUp;
using Npgsql;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>Applies the embedded <c>Migrations/*.sql</c> scripts in name order, each once (DbUp journal table <c>schemaversions</c>).</summary>
public static class DatabaseMigrator
{
    /// <summary>Serialises migrations across instances that start at the same time (any number is fine).</summary>
    private const long AdvisoryLockKey = 0x43_61_75_73_65_6C_6F_6F; // "Causeloo"

    public static void Migrate(string connectionString, ILogger logger)
    {
        // Held on its own session while DbUp runs, so a second instance waits, then finds nothing to do.
        using var lockConnection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        lockConnection.Open();
        using (var take = new NpgsqlCommand($"select pg_advisory_lock({AdvisoryLockKey})", lockConnection))
        {
            take.ExecuteNonQuery();
        }

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
