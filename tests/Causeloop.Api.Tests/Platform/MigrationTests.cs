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
}
