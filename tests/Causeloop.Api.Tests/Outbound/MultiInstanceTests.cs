using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Infrastructure.Delivery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>Several service instances on one database: API-only, workers, and a worker that dies holding leases.</summary>
public sealed class MultiInstanceTests
{
    private string _database = null!;

    [SetUp]
    public async Task CreateDatabase() => _database = await TestPostgres.CreateDatabaseAsync();

    [TearDown]
    public async Task DropDatabase() => await TestPostgres.DropDatabaseAsync(_database);

    [Test]
    public async Task Two_workers_deliver_1000_events_and_no_attempt_runs_twice()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var first = await ServiceHost.StartAsync(_database);
        await using var second = await ServiceHost.StartAsync(_database);
        var tenant = await first.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);

        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await (await tenant.Http.PostJsonAsync("/v1/events", $$$"""{"type":"issue.ingested","data":{"n":{{{i}}}}}""")).OkAsync(HttpStatusCode.Accepted);
            }
            finally
            {
                gate.Release();
            }
        }));

        await Eventually.HoldsAsync(
            async () => await first.ScalarAsync<long>("select count(*) from deliveries where status = 'succeeded'") == 1000,
            "all 1000 deliveries succeeded", TimeSpan.FromSeconds(90));
        var received = receiver.Received;
        var attempts = received.Select(r => (r.Header("x-causeloop-delivery-id"), r.Header("x-causeloop-attempt"))).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(received, Has.Count.EqualTo(1000));
            Assert.That(attempts.Distinct().Count(), Is.EqualTo(1000), "no (delivery, attempt) was sent twice");
            Assert.That(received.Select(r => r.Header("webhook-id")).Distinct().Count(), Is.EqualTo(1000));
            Assert.That(await first.ScalarAsync<long>("select count(*) from delivery_attempts"), Is.EqualTo(1000));
            Assert.That(await first.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id", new { id = Guid.Parse(webhookId) }), Is.EqualTo(1000));
        });
    }

    [Test]
    public async Task An_api_only_instance_delivers_nothing_and_leases_of_a_dead_worker_are_taken_over()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var api = await ServiceHost.StartAsync(_database, new Dictionary<string, string?> { ["Causeloop:Delivery:Enabled"] = "false" });
        var tenant = await api.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        for (var i = 0; i < 20; i++)
        {
            await tenant.PublishAsync();
        }

        await Task.Delay(1500);
        Assert.Multiple(async () =>
        {
            Assert.That(receiver.Received, Is.Empty, "Delivery:Enabled=false delivers nothing");
            Assert.That(await api.ScalarAsync<long>("select count(*) from events where processed_at is null"), Is.EqualTo(20));
        });

        // A worker fans out and leases everything, then dies before sending (its process is gone; nothing is recorded).
        var store = api.Services.GetRequiredService<DeliveryWorkStore>();
        var now = DateTime.UtcNow;
        await store.FanOutAsync(now, 100, CancellationToken.None);
        var leased = await store.ClaimAsync(now, 100, 100, now.AddSeconds(2), CancellationToken.None);
        Assert.That(leased, Has.Count.EqualTo(20));

        await using var worker = await ServiceHost.StartAsync(_database);
        await Eventually.HoldsAsync(
            async () => await api.ScalarAsync<long>("select count(*) from deliveries where status = 'succeeded'") == 20,
            "another instance completed the leased deliveries", TimeSpan.FromSeconds(20),
            () => $"{receiver.Received.Count} received; statuses: " + string.Join(", ", api.QueryAsync<string>("select status || ' ' || attempt_count || ' ' || coalesce(locked_until::text, '-') from deliveries").Result)
                + "\n" + string.Join('\n', worker.Logs.Entries));
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Received, Has.Count.EqualTo(20));
            Assert.That(receiver.Received.All(r => r.Header("x-causeloop-attempt") == "2"), Is.True, "the dead worker's attempt 1 counts; the takeover is attempt 2");
            Assert.That(receiver.Received.Min(r => r.At), Is.GreaterThanOrEqualTo(new DateTimeOffset(now.AddSeconds(2), TimeSpan.Zero)), "not before the lease expired");
        });
    }

    [Test]
    public async Task Shutting_down_lets_an_attempt_under_way_finish_and_be_recorded()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = async (_, _) =>
        {
            await Task.Delay(1500);
            return Results.Ok();
        };
        var host = await ServiceHost.StartAsync(_database);
        var tenant = await host.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        await receiver.WaitForAsync(1);

        await host.DisposeAsync();
        await using var direct = await ServiceHost.StartAsync(_database, new Dictionary<string, string?> { ["Causeloop:Delivery:Enabled"] = "false" });
        Assert.Multiple(async () =>
        {
            Assert.That(await direct.ScalarAsync<string>("select status from deliveries"), Is.EqualTo("succeeded"));
            Assert.That(await direct.ScalarAsync<long>("select count(*) from delivery_attempts where status_code = 200"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_slow_endpoint_does_not_hold_back_a_fast_one()
    {
        await using var slow = await Receiver.StartAsync();
        slow.Respond = async (_, _) =>
        {
            await Task.Delay(5000);
            return Results.Ok();
        };
        await using var fast = await ServiceHost.StartAsync(_database, new Dictionary<string, string?>
        {
            ["Causeloop:Delivery:MaxConcurrency"] = "8",
            ["Causeloop:Delivery:PerEndpointConcurrency"] = "4",
        });
        await using var quick = await Receiver.StartAsync();
        var slowTenant = await fast.NewTenantAsync();
        var quickTenant = await fast.NewTenantAsync();
        await slowTenant.SubscribeAsync(slow);
        await quickTenant.SubscribeAsync(quick);

        for (var i = 0; i < 30; i++)
        {
            await slowTenant.PublishAsync();
        }

        await slow.WaitForAsync(1);
        var started = DateTime.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            await quickTenant.PublishAsync();
        }

        await quick.WaitForAsync(5, TimeSpan.FromSeconds(10));
        var took = DateTime.UtcNow - started;
        Assert.Multiple(() =>
        {
            // Waiting behind the slow backlog would take 15 s or more (30 requests, 5 s each, 4 at a time).
            Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(5)), "the fast endpoint did not wait behind the slow one");
            Assert.That(slow.Received, Has.Count.LessThan(30), "the slow endpoint was still being worked through");
        });
    }
}
