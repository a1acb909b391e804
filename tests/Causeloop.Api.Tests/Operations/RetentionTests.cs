using System.Diagnostics;
using System.Net;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Infrastructure.Retention;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Operations;

/// <summary>§14: old finished rows go; what is unfinished, and the events it needs, stays; big tables make progress without blocking traffic.</summary>
public sealed class RetentionTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Retention:Period"] = "1.00:00:00",
        ["Causeloop:Retention:Interval"] = "30.00:00:00", // the tests run the job themselves
        ["Causeloop:Delivery:RetryDelays:0"] = "01:00:00",
    };

    [Test]
    public async Task Old_finished_rows_go_and_unfinished_deliveries_keep_their_events()
    {
        var tenant = await Host.NewTenantAsync();
        await using var ok = await Receiver.StartAsync();
        await using var failing = await Receiver.StartAsync();
        failing.Respond = (_, _) => Task.FromResult(Results.StatusCode(500));
        var (good, _) = await tenant.SubscribeAsync(ok, """["sync.completed"]""");
        var (bad, _) = await tenant.SubscribeAsync(failing, """["pattern.detected"]""");
        var inbound = await SignedSource.CreateAsync(Host, tenant);
        using var source = Host.Client();

        var delivered = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            delivered.Add((await (await tenant.Http.PostJsonAsync("/v1/events", $$$"""{"type":"sync.completed","data":{"n":{{{i}}}}}""")).OkAsync(HttpStatusCode.Accepted)).Id());
        }

        var waiting = (await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"pattern.detected","data":{}}""")).OkAsync(HttpStatusCode.Accepted)).Id();
        await SignedSource.AcceptedAsync(await inbound.SendAsync(source, """{"old":true}"""));
        await ok.WaitForAsync(3);
        await failing.WaitForAsync(1);
        var workspace = new { w = Guid.Parse(good) };
        await Eventually.HoldsAsync(async () => await Host.ScalarAsync<long>("select count(*) from deliveries where status = 'succeeded' and webhook_id = @w", workspace) == 3,
            "three deliveries succeeded");
        await Eventually.HoldsAsync(async () => await Host.ScalarAsync<long>("select count(*) from deliveries where status = 'failed' and webhook_id = @id", new { id = Guid.Parse(bad) }) == 1,
            "one waiting for its retry");

        // Everything of this workspace so far is two days old; one in-flight delivery and one dead one, also old.
        var ws = new { ws = await Host.ScalarAsync<Guid>("select workspace_id from webhooks where id = @id", new { id = Guid.Parse(good) }) };
        await Host.ExecuteAsync("update events set created_at = now() - interval '2 days' where workspace_id = @ws", ws);
        await Host.ExecuteAsync("update deliveries set updated_at = now() - interval '2 days', created_at = now() - interval '2 days' where workspace_id = @ws", ws);
        await Host.ExecuteAsync("update inbound_events set received_at = now() - interval '2 days' where workspace_id = @ws", ws);
        var deliveredIds = delivered.Select(Guid.Parse).ToArray();
        await Host.ExecuteAsync("update deliveries set status = 'in_flight', locked_until = now() + interval '1 minute' where event_id = @id", new { id = deliveredIds[0] });
        await Host.ExecuteAsync("update deliveries set status = 'dead' where event_id = @id", new { id = deliveredIds[1] });

        var fresh = (await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{"fresh":true}}""")).OkAsync(HttpStatusCode.Accepted)).Id();
        await SignedSource.AcceptedAsync(await inbound.SendAsync(source, """{"fresh":true}"""));
        await ok.WaitForAsync(4);

        var deleted = await Host.Services.GetRequiredService<RetentionJob>().RunOnceAsync(CancellationToken.None);
        TestContext.Out.WriteLine(string.Join(", ", deleted.Select(d => $"{d.Key}: {d.Value}")));

        Assert.Multiple(async () =>
        {
            Assert.That(await Exists("events", deliveredIds[0]), Is.True, "an in-flight delivery keeps its event");
            Assert.That(await Host.ScalarAsync<long>("select count(*) from deliveries where event_id = @id", new { id = deliveredIds[0] }), Is.EqualTo(1));
            Assert.That(await Exists("events", deliveredIds[1]), Is.False, "a dead delivery is final: it and its event go");
            Assert.That(await Exists("events", deliveredIds[2]), Is.False, "a succeeded delivery and its event go");
            Assert.That(await Host.ScalarAsync<long>("select count(*) from delivery_attempts a join deliveries d on d.id = a.delivery_id where d.event_id = any(@ids)",
                new { ids = deliveredIds[1..] }), Is.Zero, "with their attempts");
            Assert.That(await Exists("events", Guid.Parse(waiting)), Is.True, "a delivery waiting for a retry keeps its event");
            Assert.That(await Host.ScalarAsync<long>("select count(*) from deliveries where status = 'failed' and workspace_id = @ws", ws), Is.EqualTo(1));
            Assert.That(await Exists("events", Guid.Parse(fresh)), Is.True, "recent rows stay");
            Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where workspace_id = @ws", ws), Is.EqualTo(1), "the old inbound event went, the fresh one stayed");
            Assert.That(deleted["events"], Is.GreaterThanOrEqualTo(2));
        });
    }

    [Test]
    public async Task A_hundred_thousand_old_rows_go_in_small_batches_while_traffic_flows()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        await tenant.SubscribeAsync(receiver, """["sync.completed"]""");
        var inbound = await SignedSource.CreateAsync(Host, tenant);
        using var source = Host.Client();
        await SignedSource.AcceptedAsync(await inbound.SendAsync(source, "{}"));
        var workspace = await Host.ScalarAsync<Guid>("select workspace_id from webhooks where connector_id = @id", new { id = Guid.Parse(inbound.ConnectorId) });

        // 100,000 old inbound events and 20,000 old events, each with a finished delivery and an attempt.
        await Host.ExecuteAsync("""
            insert into inbound_events (id, workspace_id, connector_id, raw_body, payload, received_at)
            select gen_random_uuid(), @workspace, @connector, '\x7b7d', '{}', now() - interval '40 days'
            from generate_series(1, 100000)
            """, new { workspace, connector = Guid.Parse(inbound.ConnectorId) });
        await Host.ExecuteAsync("""
            with e as (
                insert into events (id, workspace_id, type, body, created_at)
                select gen_random_uuid(), @workspace, 'sync.completed', '\x7b7d', now() - interval '40 days' from generate_series(1, 20000)
                returning id
            ), d as (
                insert into deliveries (id, workspace_id, webhook_id, event_id, status, attempt_count, created_at, updated_at)
                select gen_random_uuid(), @workspace, gen_random_uuid(), id, 'succeeded', 1, now() - interval '40 days', now() - interval '40 days' from e
                returning id
            )
            insert into delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, status_code)
            select id, 1, @workspace, now() - interval '40 days', 5, 204 from d
            """, new { workspace });

        var job = Host.Services.GetRequiredService<RetentionJob>().RunOnceAsync(CancellationToken.None);
        var latencies = new List<double>();
        var published = 0;
        while (!job.IsCompleted)
        {
            var started = Stopwatch.GetTimestamp();
            await SignedSource.AcceptedAsync(await inbound.SendAsync(source, $$"""{"during":{{latencies.Count}}}"""));
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{}}""")).OkAsync(HttpStatusCode.Accepted);
            published++;
        }

        var deleted = await job;
        await receiver.WaitForAsync(published);
        latencies.Sort();
        TestContext.Out.WriteLine($"deleted: {string.Join(", ", deleted.Select(d => $"{d.Key} {d.Value}"))}; {latencies.Count} inbound requests meanwhile, "
            + $"p50 {latencies[latencies.Count / 2]:0.0} ms, max {latencies[^1]:0.0} ms; {published} events published and delivered meanwhile");
        Assert.Multiple(async () =>
        {
            Assert.That(deleted["inbound_events"], Is.EqualTo(100_000));
            Assert.That(deleted["events"], Is.EqualTo(20_000));
            Assert.That(deleted["deliveries"], Is.EqualTo(20_000));
            Assert.That(deleted["delivery_attempts"], Is.EqualTo(20_000));
            Assert.That(latencies, Is.Not.Empty, "traffic flowed while the job ran");
            Assert.That(latencies[^1], Is.LessThan(2000), "no inbound request waited on the job's locks");
            Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where workspace_id = @workspace", new { workspace }), Is.EqualTo(latencies.Count + 1));
        });
    }

    private async Task<bool> Exists(string table, Guid id) => await Host.ScalarAsync<bool>($"select exists (select 1 from {table} where id = @id)", new { id });
}

/// <summary><c>Causeloop:Retention:Period = 0</c> keeps everything.</summary>
public sealed class RetentionOffTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Retention:Period"] = "00:00:00",
        ["Causeloop:Retention:Interval"] = "00:00:00.200",
    };

    [Test]
    public async Task A_period_of_zero_keeps_everything()
    {
        var tenant = await Host.NewTenantAsync();
        var inbound = await SignedSource.CreateAsync(Host, tenant);
        using var source = Host.Client();
        await SignedSource.AcceptedAsync(await inbound.SendAsync(source, "{}"));
        await Host.ExecuteAsync("update inbound_events set received_at = now() - interval '3650 days' where connector_id = @id", new { id = Guid.Parse(inbound.ConnectorId) });

        var job = Host.Services.GetRequiredService<RetentionJob>();
        var deleted = await job.RunOnceAsync(CancellationToken.None);
        // The background job (the same instance) ends at once with a period of 0: once it has, no interval of it can
        // delete anything, now or later.
        await Eventually.HoldsAsync(() => Task.FromResult(job.ExecuteTask is { IsCompleted: true }), "the background job has ended");
        Assert.Multiple(async () =>
        {
            Assert.That(deleted.Values.Sum(), Is.Zero);
            Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @id", new { id = Guid.Parse(inbound.ConnectorId) }), Is.EqualTo(1));
        });
    }
}
