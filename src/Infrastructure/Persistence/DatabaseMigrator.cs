using DbUp;
using Npgsql;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>
/// Applies the embedded <c>Migrations/*.sql</c> scripts in name order, each once (DbUp journal table <c>schemaversions</c>).
/// Each runs in a transaction of its own, but a script whose first line is <see cref="NoTransactionMarker"/>, which runs
/// outside any: <c>create index concurrently</c> (which builds an index on a big table without blocking its writes)
/// cannot run inside a transaction. Such a script holds one statement per concurrent index and uses <c>if not exists</c>,
/// so a run cut short is simply run again.
/// </summary>
public static class DatabaseMigrator
{
    /// <summary>Serialises migrations across instances that start at the same time (any number is fine).</summary>
    private const long AdvisoryLockKey = 0x43_61_75_73_65_6C_6F_6F; // "Causeloo"

    /// <summary>The first line of a script that must run outside a transaction.</summary>
    public const string NoTransactionMarker = "-- causeloop: no transaction";

    public static void Migrate(string connectionString, ILogger logger)
    {
        // Held by a transaction of its own, open while DbUp runs on other connections, so a second instance waits, then
        // finds nothing to do. A transaction-scoped lock, not a session lock: behind a transaction pooler a session lock
        // would stay with whichever server session ran it, long after this connection is closed (ADR 0011), whereas an
        // open transaction keeps its server session to itself until it ends, and the lock ends with it. It waits by trying
        // again, not in a blocking call: a statement blocked on the lock holds a snapshot, and `create index concurrently`
        // in the holder's migrations waits for every such snapshot to end (the two would wait for each other); between
        // tries the waiting transaction holds no snapshot.
        using var lockConnection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        lockConnection.Open();
        using var holder = lockConnection.BeginTransaction();
        using (var take = new NpgsqlCommand($"select pg_try_advisory_xact_lock({AdvisoryLockKey})", lockConnection, holder))
        using (var release = new NpgsqlCommand("set local application_name = 'causeloop migrator'", lockConnection, holder))
        {
            while (true)
            {
                var taken = take.ExecuteScalar() is true;

                // The select's portal keeps its snapshot until the next statement replaces it (extended protocol), and
                // that snapshot alone would make `create index concurrently` wait for this transaction: a SET holds none.
                release.ExecuteNonQuery();
                if (taken)
                {
                    break;
                }

                Thread.Sleep(TimeSpan.FromMilliseconds(200));
            }
        }

        // Runs of scripts with the same transaction mode, in name order; the journal is shared, so each run applies only
        // what is not applied yet, and the order of all scripts is kept.
        foreach (var (names, transactional) in Runs())
        {
            var builder = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, names.Contains)
                .LogTo(new DbUpLog(logger));
            var upgrader = (transactional ? builder.WithTransactionPerScript() : builder.WithoutTransaction()).Build();
            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration failed at {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
            }
        }

        holder.Commit();
    }

    /// <summary>The embedded scripts in name order, grouped into runs of consecutive scripts with the same transaction mode.</summary>
    public static IReadOnlyList<(HashSet<string> Names, bool Transactional)> Runs()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        var runs = new List<(HashSet<string>, bool)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Migrations.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var transactional = reader.ReadLine()?.Trim() != NoTransactionMarker;
            if (runs.Count == 0 || runs[^1].Item2 != transactional)
            {
                runs.Add(([], transactional));
            }

            runs[^1].Item1.Add(name);
        }

        return runs;
    }
}
