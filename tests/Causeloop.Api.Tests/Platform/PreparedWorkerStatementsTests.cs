using Causeloop.Api.Tests.Support;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Deliveries;
using Causeloop.Infrastructure.Persistence;
using Dapper;
using Npgsql;

namespace Causeloop.Api.Tests.Platform;

/// <summary>
/// The worker prepares its claim statements on each connection it uses. Statements that fail on that same connection
/// (refused writes, a failing prepared statement, rolled-back transactions) must never leave it answering a claim with
/// another statement's rows or with an error: Npgsql's automatic preparation once did (npgsql/npgsql#6391), which is why
/// only explicit preparation is used, never in a batch that can fail.
/// </summary>
public sealed class PreparedWorkerStatementsTests : OwnDatabaseTest
{
    private const int Deliveries = 120;

    [Test]
    public async Task Claims_on_a_connection_where_other_statements_failed_lease_each_delivery_once_and_never_fail()
    {
        var ours = await SeedAsync();
        // One connection, so every claim runs on the connection where the failures happened.
        using var work = new RederivableWork(new NpgsqlConnectionStringBuilder(Database) { MaxPoolSize = 1 }.ConnectionString);
        Assert.That(work.Prepares, Is.True);
        var store = new ClaimStore(work);
        var request = new ClaimRequest(DateTime.UtcNow.AddHours(2), 1, 1_000, EndpointLimits.None, TimeSpan.FromMinutes(5));

        var leased = new List<Guid>();
        for (var i = 0; i < Deliveries; i++)
        {
            await FailOnTheConnectionAsync(work.DataSource, i);
            var claimed = await store.ClaimAsync(request, CancellationToken.None);
            Assert.That(claimed, Has.Count.EqualTo(1), $"claim {i}");
            leased.Add(claimed[0].Id);
            Assert.That(claimed[0].Url, Is.EqualTo("https://example.com/prepared"), $"claim {i} read its own columns");
        }

        Assert.Multiple(async () =>
        {
            Assert.That(leased, Is.Unique);
            Assert.That(leased, Is.EquivalentTo(ours));
            Assert.That(await store.ClaimAsync(request, CancellationToken.None), Is.Empty, "nothing is left to lease");
        });
    }

    /// <summary>A different failure each time: a refused write in a transaction, a failing prepared statement, a failing batch.</summary>
    private static async Task FailOnTheConnectionAsync(NpgsqlDataSource dataSource, int i)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        try
        {
            switch (i % 3)
            {
                case 0:
                    await using (var transaction = await connection.BeginTransactionAsync())
                    {
                        await connection.ExecuteAsync("insert into workspaces (id, name, created_at) values (@id, @name, now())", new { id = Guid.NewGuid(), name = "a\0b" }, transaction);
                    }

                    break;
                case 1:
                    await using (var command = new NpgsqlCommand("select 1 / @n", connection))
                    {
                        command.Parameters.Add(new NpgsqlParameter<int>("n", 0));
                        await command.PrepareAsync();
                        await command.ExecuteScalarAsync();
                    }

                    break;
                default:
                    await using (var batch = new NpgsqlBatch(connection))
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand("select count(*) from deliveries"));
                        batch.BatchCommands.Add(new NpgsqlBatchCommand("select 'x'::int"));
                        batch.BatchCommands.Add(new NpgsqlBatchCommand("select count(*) from webhooks"));
                        await batch.ExecuteNonQueryAsync();
                    }

                    break;
            }

            Assert.Fail("the statement was meant to fail");
        }
        catch (PostgresException)
        {
            // Refused, as meant.
        }
    }

    /// <summary>One webhook with <see cref="Deliveries"/> pending deliveries due in an hour (no running worker touches them).</summary>
    private async Task<Guid[]> SeedAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        var workspace = Guid.NewGuid();
        var webhook = Guid.NewGuid();
        var ids = Enumerable.Range(0, Deliveries).Select(_ => Guid.NewGuid()).ToArray();
        await connection.ExecuteAsync("insert into workspaces (id, name, created_at) values (@workspace, 'prepared', now())", new { workspace });
        await connection.ExecuteAsync(
            """
            insert into webhooks (id, workspace_id, direction, url, event_types, enabled, secret, created_at, updated_at)
            values (@webhook, @workspace, 'outbound', 'https://example.com/prepared', array['sync.completed'], true, '\x00', now(), now())
            """,
            new { webhook, workspace });
        await connection.ExecuteAsync(
            """
            with e as (
                insert into events (id, workspace_id, type, body, created_at)
                values (gen_random_uuid(), @workspace, 'sync.completed', '\x7b7d', now()) returning id)
            insert into deliveries (id, workspace_id, webhook_id, event_id, status, attempt_count, next_attempt_at, created_at, updated_at)
            select t.id, @workspace, @webhook, e.id, 'pending', 0, now() + interval '1 hour' + t.n * interval '1 ms', now(), now()
            from e, unnest(@ids) with ordinality as t(id, n)
            """,
            new { workspace, webhook, ids });
        return ids;
    }
}
