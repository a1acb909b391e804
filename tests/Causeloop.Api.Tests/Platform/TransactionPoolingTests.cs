using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Causeloop.Api.Tests.Platform;

/// <summary>
/// <c>Causeloop:Database:Pooling=transaction</c> (behind PgBouncer in transaction pooling mode; ADR 0011): the service
/// keeps no session state. The fault suite runs it through a real PgBouncer; these check the parts that a pooler would
/// only show as wrong figures, not as errors.
/// </summary>
public sealed class TransactionPoolingTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Database:Pooling"] = "transaction",
        // Only a wake-up can bring an event out within the test's 5 s: the next poll is 20 s away.
        ["Causeloop:Delivery:PollInterval"] = "00:00:20",
    };

    [Test]
    public async Task Rederivable_work_commits_without_waiting_for_the_flush_in_its_own_transaction_only()
    {
        var work = Host.Services.GetRequiredService<RederivableWork>();
        await using var connection = await work.DataSource.OpenConnectionAsync();
        await using (var durable = new NpgsqlCommand("set synchronous_commit = on", connection))
        {
            await durable.ExecuteNonQueryAsync();
        }

        // As the claim sends it: a batch, one implicit transaction, whose first command is the setting.
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(RederivableWork.AsyncCommit());
        batch.BatchCommands.Add(new NpgsqlBatchCommand("select current_setting('synchronous_commit')"));
        await using (var results = await batch.ExecuteReaderAsync())
        {
            await results.NextResultAsync();
            await results.ReadAsync();
            Assert.That(results.GetString(0), Is.EqualTo("off"), "within the transaction");
        }

        await using var after = new NpgsqlCommand("select current_setting('synchronous_commit')", connection);
        Assert.That(await after.ExecuteScalarAsync(), Is.EqualTo("on"), "nothing is left on the session for the next transaction, which a pooler may give to anyone");
    }

    [Test]
    public async Task The_worker_does_not_listen_and_this_instances_own_commits_wake_it()
    {
        var database = new NpgsqlConnectionStringBuilder(Host.ConnectionString).Database;
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync(); // group commit
        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(5));
        (await tenant.Http.PostAsync($"/v1/webhooks/{webhookId}/test", null)).EnsureSuccessStatusCode(); // a command's outbox
        await receiver.WaitForAsync(2, TimeSpan.FromSeconds(5));

        var listening = await Host.ScalarAsync<long>(
            "select count(*) from pg_stat_activity where datname = @database and query ilike 'listen%'", new { database });
        Assert.That(listening, Is.Zero, "no session waits in LISTEN");
    }
}
