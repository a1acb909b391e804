using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Domain.Deliveries;
using Microsoft.AspNetCore.Http;

namespace Causeloop.Api.Tests.Operations;

/// <summary>§11 end to end: alerts reach the webhooks subscribed to them by name, once per transition, never the webhook they are about.</summary>
public sealed class OperationalEventsTests : ApiTest
{
    private const string Operational = """["endpoint.failing","endpoint.disabled","endpoint.enabled","message.attempt.exhausted","message.attempt.recovered"]""";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.100",
        ["Causeloop:Delivery:RetryDelays:1"] = "00:00:00.100",
        ["Causeloop:Delivery:RetryJitter"] = "0",
    };

    [Test]
    public async Task A_failing_endpoint_sends_failing_then_exhausted_once_then_recovered_and_star_subscribers_get_none()
    {
        var tenant = await Host.NewTenantAsync();
        await using var failing = await Receiver.StartAsync();
        await using var ops = await Receiver.StartAsync();
        await using var everything = await Receiver.StartAsync();
        var broken = true;
        failing.Respond = (_, _) => Task.FromResult(broken ? Results.StatusCode(500) : Results.NoContent());
        // The failing webhook subscribes to the alerts too: it must never get those about itself.
        var (subjectId, _) = await tenant.SubscribeAsync(failing, """["sync.completed","endpoint.failing"]""");
        await tenant.SubscribeAsync(ops, Operational);
        await tenant.SubscribeAsync(everything);

        // Two events, three attempts each: the 5th failure sends failing; the first dead delivery sends exhausted, the second not (debounce).
        for (var i = 0; i < 2; i++)
        {
            await (await tenant.Http.PostJsonAsync("/v1/events", $$$"""{"type":"sync.completed","data":{"n":{{{i}}}}}""")).OkAsync(HttpStatusCode.Accepted);
        }

        await Eventually.HoldsAsync(async () => await Host.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id and status = 'dead'", new { id = Guid.Parse(subjectId) }) == 2,
            "both deliveries to the failing endpoint are dead");
        await Eventually.HoldsAsync(() => Task.FromResult(Types(ops).Count >= 2), "the watcher got the alerts");

        broken = false;
        await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{"after":"fix"}}""")).OkAsync(HttpStatusCode.Accepted);
        await SettledAsync(tenant);

        var received = ops.Received.Select(r => JsonNode.Parse(r.Body)!).ToList();
        var failingAlert = received.Single(e => e["type"]!.GetValue<string>() == "endpoint.failing")["data"]!;
        var exhausted = received.Single(e => e["type"]!.GetValue<string>() == "message.attempt.exhausted")["data"]!;
        Assert.Multiple(() =>
        {
            Assert.That(Types(ops), Is.EqualTo(new[] { "message.attempt.exhausted", "endpoint.failing", "message.attempt.recovered" }).Or.EqualTo(new[] { "endpoint.failing", "message.attempt.exhausted", "message.attempt.recovered" }));
            Assert.That(failingAlert["webhook_id"]!.GetValue<string>(), Is.EqualTo(subjectId));
            Assert.That(failingAlert["url"]!.GetValue<string>(), Is.EqualTo(failing.Url.ToString()));
            Assert.That(failingAlert["consecutive_failures"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(failingAlert["fail_since"], Is.Not.Null);
            Assert.That(failingAlert["last_attempt"]!["status_code"]!.GetValue<int>(), Is.EqualTo(500));
            Assert.That(exhausted["delivery_id"], Is.Not.Null);
            Assert.That(exhausted["event_id"], Is.Not.Null);
            Assert.That(everything.Received.Select(r => r.Header("x-causeloop-event-type")), Has.None.StartWith("endpoint.").And.None.StartWith("message."), "\"*\" does not include them");
            Assert.That(failing.Received.Select(r => r.Header("x-causeloop-event-type")), Has.None.StartWith("endpoint."), "never to the webhook it is about");
            Assert.That(ops.Received.Select(r => Encoding.UTF8.GetString(r.Body)), Has.None.Contain("whsec_"), "no payload holds a secret");
        });
    }

    [Test]
    public async Task Gone_disables_at_once_and_manual_disable_and_enable_send_theirs()
    {
        var tenant = await Host.NewTenantAsync();
        await using var gone = await Receiver.StartAsync();
        await using var ops = await Receiver.StartAsync();
        gone.Respond = (_, _) => Task.FromResult(Results.StatusCode(410));
        var (subjectId, _) = await tenant.SubscribeAsync(gone, """["sync.completed"]""");
        await tenant.SubscribeAsync(ops, Operational);

        await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{}}""")).OkAsync(HttpStatusCode.Accepted);
        await Eventually.HoldsAsync(() => Task.FromResult(Types(ops).Contains("endpoint.disabled")), "disabled as gone");
        var disabled = ops.Received.Select(r => JsonNode.Parse(r.Body)!).First(e => e["type"]!.GetValue<string>() == "endpoint.disabled")["data"]!;
        Assert.That(disabled["reason"]!.GetValue<string>(), Is.EqualTo("gone"));

        using (var enable = new HttpRequestMessage(HttpMethod.Patch, $"/v1/webhooks/{subjectId}") { Content = Support.Json.Body("""{"enabled":true}""") })
        {
            await (await tenant.Http.SendAsync(enable)).OkAsync();
        }

        using (var disable = new HttpRequestMessage(HttpMethod.Patch, $"/v1/webhooks/{subjectId}") { Content = Support.Json.Body("""{"enabled":false}""") })
        {
            await (await tenant.Http.SendAsync(disable)).OkAsync();
        }

        using (var again = new HttpRequestMessage(HttpMethod.Patch, $"/v1/webhooks/{subjectId}") { Content = Support.Json.Body("""{"enabled":false,"description":"no change of state"}""") })
        {
            await (await tenant.Http.SendAsync(again)).OkAsync();
        }

        await SettledAsync(tenant);
        var types = Types(ops);
        var manual = ops.Received.Select(r => JsonNode.Parse(r.Body)!).Last(e => e["type"]!.GetValue<string>() == "endpoint.disabled")["data"]!;
        Assert.Multiple(() =>
        {
            Assert.That(types.Count(t => t == "endpoint.enabled"), Is.EqualTo(1));
            Assert.That(types.Count(t => t == "endpoint.disabled"), Is.EqualTo(2), "a PATCH that changes nothing sends nothing");
            Assert.That(manual["reason"]!.GetValue<string>(), Is.EqualTo("manual"));
            Assert.That(types, Does.Contain("message.attempt.exhausted"), "the 410 made the delivery dead");
        });
    }

    [Test]
    public async Task Recover_resends_only_dead_deliveries_of_the_window_and_not_twice()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        var broken = true;
        receiver.Respond = (_, _) => Task.FromResult(broken ? Results.StatusCode(503) : Results.NoContent());
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["sync.completed"]""");
        var before = (await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{"n":"before"}}""")).OkAsync(HttpStatusCode.Accepted)).Id();
        await Eventually.HoldsAsync(async () => await DeadAsync(webhookId) == 1, "the first event's delivery is dead");
        var since = DateTime.UtcNow;
        await Task.Delay(20);
        for (var i = 0; i < 3; i++)
        {
            await (await tenant.Http.PostJsonAsync("/v1/events", $$$"""{"type":"sync.completed","data":{"n":{{{i}}}}}""")).OkAsync(HttpStatusCode.Accepted);
        }

        await Eventually.HoldsAsync(async () => await DeadAsync(webhookId) == 4, "every delivery is dead");
        broken = false;

        var first = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhookId}/recover", $$"""{"since":"{{since:O}}"}""")).OkAsync(HttpStatusCode.Accepted);
        Assert.That(first["count"]!.GetValue<int>(), Is.EqualTo(3), "only the window's dead deliveries");
        await Eventually.HoldsAsync(async () => await Host.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id and status = 'succeeded'", new { id = Guid.Parse(webhookId) }) == 3,
            "the recovered deliveries succeed");
        var second = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhookId}/recover", $$"""{"since":"{{since:O}}"}""")).OkAsync(HttpStatusCode.Accepted);
        Assert.Multiple(async () =>
        {
            Assert.That(second["count"]!.GetValue<int>(), Is.Zero, "what the first call recovered is not sent again");
            Assert.That(await Host.ScalarAsync<long>("select count(*) from deliveries where event_id = @id", new { id = Guid.Parse(before) }), Is.EqualTo(1), "outside the window");
        });

        await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhookId}/recover", "{}")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhookId}/recover", $$"""{"since":"{{since:O}}","until":"{{since.AddHours(-1):O}}"}""")).ProblemAsync(HttpStatusCode.BadRequest);
        var stranger = await Host.NewTenantAsync();
        await (await stranger.Http.PostJsonAsync($"/v1/webhooks/{webhookId}/recover", $$"""{"since":"{{since:O}}"}""")).ProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>
    /// Waits until every event of the tenant's workspace has been fanned out and every delivery of it has finished. An
    /// alert is written in the transaction of the change or the attempt that causes it, so from then on no alert can
    /// follow, and each receiver has had all it will ever get: what it has not had, it never will.
    /// </summary>
    private Task SettledAsync(Tenant tenant) =>
        Eventually.HoldsAsync(
            async () => await Host.ScalarAsync<long>("""
                select (select count(*) from outbox o join workspaces w on w.id = o.workspace_id where w.name = @workspace)
                     + (select count(*) from deliveries d join workspaces w on w.id = d.workspace_id where w.name = @workspace and d.status = any(@unfinished))
                """, new { workspace = tenant.Workspace, unfinished = DeliveryStatus.Unfinished.ToArray() }) == 0,
            "every event of the workspace is fanned out and every delivery of it has finished");

    private Task<long> DeadAsync(string webhookId) =>
        Host.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id and status = 'dead'", new { id = Guid.Parse(webhookId) });

    private static List<string> Types(Receiver receiver) => [.. receiver.Received.Select(r => r.Header("x-causeloop-event-type"))];
}
