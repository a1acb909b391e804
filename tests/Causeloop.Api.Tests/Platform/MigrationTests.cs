using Causeloop.Api.Tests.Support;
using Causeloop.Infrastructure.Persistence;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Causeloop.Api.Tests.Platform;

public sealed class MigrationTests
{
    [Test]
    public async Task Instances_starting_at_once_on_an_empty_database_migrate_it_exactly_once()
    {
        var database = await TestPostgres.CreateEmptyDatabaseAsync();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => DatabaseMigrator.Migrate(database, NullLogger.Instance))));
            await using var connection = new NpgsqlConnection(database);
            var scripts = (await connection.QueryAsync<string>("select scriptname from schemaversions")).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(scripts, Is.Unique);
                Assert.That(scripts, Has.Some.Contains("0001_initial"));
            });
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    /// <summary>
    /// Indexes added to tables that may already be big are built with <c>create index concurrently</c>, in scripts that run
    /// outside a transaction, so an upgrade never blocks writes to them. The scripts before this rule are left as they ran.
    /// </summary>
    [Test]
    public void New_indexes_are_built_concurrently_outside_a_transaction()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        var runs = DatabaseMigrator.Runs();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Migrations.", StringComparison.Ordinal)))
        {
            var number = int.Parse(name.Split(".Migrations.")[1][..4], System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var sql = reader.ReadToEnd();
            var creates = System.Text.RegularExpressions.Regex.Matches(sql, @"create\s+(unique\s+)?index(\s+concurrently)?", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            if (number < 14 || creates.Count == 0)
            {
                continue;
            }

            Assert.Multiple(() =>
            {
                Assert.That(creates.Select(c => c.Groups[2].Success), Is.All.True, $"{name}: every index is created concurrently");
                Assert.That(runs.Single(r => r.Names.Contains(name)).Transactional, Is.False, $"{name} runs outside a transaction");
            });
        }

        Assert.That(runs.SelectMany(r => r.Names).Order(StringComparer.Ordinal), Is.EqualTo(
            assembly.GetManifestResourceNames().Where(n => n.Contains(".Migrations.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)), "every script runs once, in name order");
    }
}
