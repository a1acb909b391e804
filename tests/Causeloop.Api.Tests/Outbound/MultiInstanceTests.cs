using Causeloop.Application.Deliveries.Pipeline;
using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Infrastructure.Deliveries;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>Several service instances on one database: API-only, workers, and a worker that dies holding leases.</summary>
public sealed class MultiInstanceTests : OwnDatabaseTest
{
    [Test]
    public async Task Two_workers_deliver_1000_events_and_no_attempt_runs_twice()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var first = await ServiceHost.StartAsync(Database);
        await using var second = await ServiceHost.StartAsync(Database);
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
        await using var api = await ServiceHost.StartAsync(Database, new Dictionary<string, string?> { ["Causeloop:Delivery:Enabled"] = "false" });
        var tenant = await api.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        for (var i = 0; i < 20; i++)
        {
            await tenant.PublishAsync();
        }

        // Nothing to wait for: the instance runs no worker at all, so nothing can pick the events up.
        Assert.Multiple(async () =>
        {
            Assert.That(api.Services.GetServices<IHostedService>().OfType<DeliveryWorker>(), Is.Empty,
                "Delivery:Enabled=false runs no worker");
            Assert.That(receiver.Received, Is.Empty, "Delivery:Enabled=false delivers nothing");
            Assert.That(await api.ScalarAsync<long>("select count(*) from outbox"), Is.EqualTo(20));
        });

        // A worker fans out and leases everything, then dies before sending (its process is gone; nothing is recorded).
        await api.Services.GetRequiredService<FanOutEvents>().RunAsync(CancellationToken.None);
        var now = DateTime.UtcNow;
        var leased = await api.Services.GetRequiredService<ClaimStore>().ClaimAsync(
            new ClaimRequest(now, 100, 100, EndpointLimits.None, TimeSpan.FromSeconds(2)), CancellationToken.None);
        Assert.That(leased, Has.Count.EqualTo(20));

        await using var worker = await ServiceHost.StartAsync(Database);
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
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Respond = async (_, _) =>
        {
            await answer.Task;
            return Results.Ok();
        };
        var host = await ServiceHost.StartAsync(Database);
        var worker = host.Services.GetServices<IHostedService>().OfType<DeliveryWorker>().Single();
        var tenant = await host.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        await receiver.WaitForAsync(1);

        // The receiver answers only once the worker has been told to stop (its claimer has returned): the attempt is under
        // way through the shutdown however slow the machine is.
        var stopping = host.DisposeAsync().AsTask();
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(worker.ExecuteTask is { IsCompleted: true }), "the worker stopped claiming");
        }
        finally
        {
            answer.TrySetResult();
        }

        await stopping;
        await using var direct = await ServiceHost.StartAsync(Database, new Dictionary<string, string?> { ["Causeloop:Delivery:Enabled"] = "false" });
        Assert.Multiple(async () =>
        {
            Assert.That(await direct.ScalarAsync<string>("select status from deliveries"), Is.EqualTo("succeeded"));
            Assert.That(await direct.ScalarAsync<long>("select count(*) from delivery_attempts where status_code = 200"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_slow_endpoint_does_not_hold_back_a_fast_one()
    {
        // The slow endpoint answers nothing until the test ends: every attempt to it stays under way (the attempt timeout is
        // far away), so it holds all the slots it may take for the whole test.
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await Receiver.StartAsync();
        slow.Respond = async (_, _) =>
        {
            await answer.Task;
            return Results.Ok();
        };
        await using var quick = await Receiver.StartAsync();
        var host = await ServiceHost.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Causeloop:Delivery:MaxConcurrency"] = "8",
            ["Causeloop:Delivery:PerEndpointConcurrency"] = "4",
            ["Causeloop:Delivery:AttemptTimeout"] = "00:01:00",
        });
        try
        {
            var slowTenant = await host.NewTenantAsync();
            var quickTenant = await host.NewTenantAsync();
            await slowTenant.SubscribeAsync(slow);
            await quickTenant.SubscribeAsync(quick);
            for (var i = 0; i < 30; i++)
            {
                await slowTenant.PublishAsync();
            }

            await slow.WaitForAsync(4);
            for (var i = 0; i < 5; i++)
            {
                await quickTenant.PublishAsync();
            }

            // Held back behind the slow endpoint, these would wait until it answered: never, while the test runs.
            await quick.WaitForAsync(5);
            Assert.That(slow.Received, Has.Count.EqualTo(4), "the slow endpoint got no more than its 4 of the instance's 8 slots");
        }
        finally
        {
            answer.TrySetResult();
            await host.DisposeAsync();
        }
    }

    [Test]
    public async Task Disabling_a_connector_on_one_instance_stops_the_other_from_accepting_within_a_second()
    {
        await using var first = await ServiceHost.StartAsync(Database);
        await using var second = await ServiceHost.StartAsync(Database);
        var endpoint = await Inbound.SignedSource.CreateAsync(first);
        using var toFirst = first.Client();
        using var toSecond = second.Client();

        // Both instances have the connector's verification material cached.
        await Inbound.SignedSource.AcceptedAsync(await endpoint.SendAsync(toFirst, "{}"));
        await Inbound.SignedSource.AcceptedAsync(await endpoint.SendAsync(toSecond, "{}"));

        await (await endpoint.Tenant.Http.PatchJsonAsync($"/v1/webhooks/{endpoint.WebhookId}", """{"enabled":false}""")).OkAsync();
        var disabledAt = DateTime.UtcNow;
        var onFirst = (await endpoint.SendAsync(toFirst, "{}")).StatusCode;
        HttpStatusCode onSecond;
        while ((onSecond = (await endpoint.SendAsync(toSecond, "{}")).StatusCode) != HttpStatusCode.Unauthorized
               && DateTime.UtcNow - disabledAt < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        var refusedAfter = DateTime.UtcNow - disabledAt;
        var storedAfter = await first.ScalarAsync<long>(
            "select count(*) from inbound_events where connector_id = @c and received_at > @t",
            new { c = Guid.Parse(endpoint.ConnectorId), t = disabledAt.AddSeconds(1.5) });
        Assert.Multiple(() =>
        {
            Assert.That(onFirst, Is.EqualTo(HttpStatusCode.Unauthorized), "the instance that made the change refuses at once");
            Assert.That(onSecond, Is.EqualTo(HttpStatusCode.Unauthorized), "the other instance refuses too");
            // The cache keeps material at most 1 s; the rest is slack for a loaded machine.
            Assert.That(refusedAfter, Is.LessThan(TimeSpan.FromSeconds(3)));
            Assert.That(storedAfter, Is.Zero, "nothing accepted once the change had been seen");
        });
    }

    [Test]
    public async Task The_per_endpoint_limit_holds_across_instances()
    {
        const int limit = 2;
        var inFlight = 0;
        var most = 0;
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = async (_, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await Task.Delay(100);
            Interlocked.Decrement(ref inFlight);
            return Results.NoContent();
        };
        var settings = new Dictionary<string, string?>
        {
            ["Causeloop:Delivery:PerEndpointConcurrency"] = $"{limit}",
            ["Causeloop:Delivery:MaxPerEndpointConcurrency"] = $"{limit}",
            ["Causeloop:Delivery:PollInterval"] = "00:00:00.050",
        };
        await using var first = await ServiceHost.StartAsync(Database, settings);
        await using var second = await ServiceHost.StartAsync(Database, settings);
        await using var third = await ServiceHost.StartAsync(Database, settings);
        await using var fourth = await ServiceHost.StartAsync(Database, settings);
        var tenant = await first.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        // Published all at once, so every instance wakes to the same work at the same moment.
        await Task.WhenAll(Enumerable.Range(0, 80).Select(_ => tenant.PublishAsync()));

        await receiver.WaitForAsync(80, TimeSpan.FromSeconds(60));
        Assert.That(most, Is.LessThanOrEqualTo(limit), "four instances together never exceed the webhook's limit");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Test]
    /// <summary>§17: the webhook's bucket is one, on the database's clock, so two workers together start no more than one would, ordering keys (§15) included.</summary>
    public async Task Two_workers_together_keep_one_webhooks_rate_limit_with_keyed_and_unkeyed_events()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var first = await ServiceHost.StartAsync(Database);
        await using var second = await ServiceHost.StartAsync(Database);
        var tenant = await first.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["sync.completed"]""");
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"rate_limit":20}""")).OkAsync();

        // 60 events without a key, then 40 over 4 keys, published through both instances.
        const int count = 100;
        using var other = second.Client(tenant.ApiKey);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var key = i >= 60 ? $"\"key-{i % 4}\"" : "null";
            var http = i % 2 == 0 ? tenant.Http : other;
            await (await http.PostJsonAsync("/v1/events", $$"""{"type":"sync.completed","data":{"n":{{i}}},"ordering_key":{{key}}}""")).OkAsync(HttpStatusCode.Accepted);
        }));
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received.Count >= count), "every event arrived", TimeSpan.FromSeconds(60));

        RateLimitArrivals.AssertWithin(receiver.Received.Select(r => r.At).ToList(), rate: 20, count);
    }
}
