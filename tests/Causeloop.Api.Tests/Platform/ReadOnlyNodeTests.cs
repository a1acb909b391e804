using System.Net;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Npgsql;

namespace Causeloop.Api.Tests.Platform;

/// <summary>
/// The node the service is connected to answers but takes no writes (SQLSTATE 25006), as a standby does, or a node that
/// pg_auto_failover has just promoted and still holds read-only: writes answer 503 (never 500) and store nothing, reads
/// go on, readiness fails, and everything resumes by itself once the node takes writes again.
/// </summary>
public sealed class ReadOnlyNodeTests
{
    [Test]
    public async Task While_the_node_takes_no_writes_writes_answer_503_reads_go_on_and_delivery_resumes_after()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        var host = await ServiceHost.StartAsync(database);
        try
        {
            await using var receiver = await Receiver.StartAsync();
            var tenant = await host.NewTenantAsync();
            var (webhookId, _) = await tenant.SubscribeAsync(receiver);

            await ReadOnlyAsync(host, name, on: true);
            var create = await tenant.Http.PostJsonAsync("/v1/webhooks", """{"url":"https://example.com/h","event_types":["*"]}""");
            var publish = await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{"n":1}}""");
            var list = await tenant.Http.GetAsync("/v1/webhooks");
            using var anonymous = host.Client();
            var ready = await anonymous.GetAsync("/health/ready");

            await create.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            await publish.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Multiple(() =>
            {
                Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK), "reads go on");
                Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "a node that takes no writes is not ready");
            });
            Assert.Multiple(async () =>
            {
                Assert.That(await host.ScalarAsync<long>("select count(*) from webhooks"), Is.EqualTo(1), "the refused create stored nothing");
                Assert.That(await host.ScalarAsync<long>("select count(*) from events"), Is.Zero, "the refused publish stored nothing");
            });

            await ReadOnlyAsync(host, name, on: false);
            // A pooled session that the switch ended fails its next use once (503), as after any failover.
            await Eventually.HoldsAsync(async () => (await anonymous.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "ready again");
            await tenant.PublishAsync();
            await tenant.WaitForDeliveryAsync(webhookId, "succeeded", TimeSpan.FromSeconds(15));
            Assert.That(host.Logs.Entries, Has.None.Contains("unhandled exception").IgnoreCase, "no request failed with a bug");
        }
        finally
        {
            await host.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    /// <summary>Makes the database read-only (or writable) for new sessions and ends the service's sessions, as a promotion does.</summary>
    private static async Task ReadOnlyAsync(ServiceHost host, string database, bool on)
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(host.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using (var alter = new NpgsqlCommand($"alter database \"{database}\" {(on ? "set default_transaction_read_only = on" : "reset default_transaction_read_only")}", admin))
        {
            await alter.ExecuteNonQueryAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await using var terminate = new NpgsqlCommand("select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = @database and pid <> pg_backend_pid()", admin);
        terminate.Parameters.AddWithValue("database", database);
        await terminate.ExecuteScalarAsync();

        // Until the service's next connections see the new setting, a write may still meet a terminated session (503 too).
        await Eventually.HoldsAsync(async () =>
        {
            await using var probe = new NpgsqlConnection(host.ConnectionString + ";Pooling=false");
            await probe.OpenAsync();
            await using var show = new NpgsqlCommand("show default_transaction_read_only", probe);
            return (string)(await show.ExecuteScalarAsync())! == (on ? "on" : "off");
        }, "new sessions see the setting");
    }
}
