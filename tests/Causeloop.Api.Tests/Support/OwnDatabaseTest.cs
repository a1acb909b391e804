namespace Causeloop.Api.Tests.Support;

/// <summary>
/// A fixture whose every test gets a fresh migrated database of its own (<see cref="Database"/>, a connection string),
/// for tests that start their own service instances or talk to the stores directly; it is dropped after the test.
/// </summary>
public abstract class OwnDatabaseTest
{
    protected string Database { get; private set; } = string.Empty;

    [SetUp]
    public async Task CreateDatabase() => Database = await TestPostgres.CreateDatabaseAsync();

    [TearDown]
    public Task DropDatabase() => TestPostgres.DropDatabaseAsync(Database);
}
