using System.Net;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>
/// §17: an outbound webhook's <c>rate_limit</c> (deliveries per second, 1–10,000, null for none) is set on create and
/// PATCH and shown by GET; the worker starts no more than (T + 1) × rate_limit deliveries in any window of T seconds.
/// </summary>
public sealed class RateLimitTests : ApiTest
{
    [Test]
    public async Task A_rate_limit_is_set_on_create_shown_changed_by_patch_and_removed_by_null()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await (await tenant.Http.PostJsonAsync("/v1/webhooks",
            """{"url":"https://example.com/hooks","event_types":["*"],"rate_limit":50}""")).OkAsync(HttpStatusCode.Created);
        var id = created.Id();
        Assert.That(created["rate_limit"]!.GetValue<int>(), Is.EqualTo(50));
        Assert.That((await (await tenant.Http.GetAsync($"/v1/webhooks/{id}")).OkAsync())["rate_limit"]!.GetValue<int>(), Is.EqualTo(50));

        var patched = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"rate_limit":10000}""")).OkAsync();
        Assert.That(patched["rate_limit"]!.GetValue<int>(), Is.EqualTo(10000));
        var described = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"description":"left alone"}""")).OkAsync();
        Assert.That(described["rate_limit"]!.GetValue<int>(), Is.EqualTo(10000), "a PATCH without rate_limit keeps it");

        var cleared = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"rate_limit":null}""")).OkAsync();
        Assert.That(cleared["rate_limit"], Is.Null);
        var listed = await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();
        Assert.That(listed["data"]!.AsArray().Single(w => w!.Id() == id)!.AsObject().ContainsKey("rate_limit"), Is.True);
        Assert.That(listed["data"]!.AsArray().Single(w => w!.Id() == id)!["rate_limit"], Is.Null);
    }

    [TestCase("0")]
    [TestCase("-3")]
    [TestCase("10001")]
    [TestCase("99999999999")]
    public async Task A_rate_limit_outside_1_to_10000_is_a_400_with_errors_rate_limit_and_changes_nothing(string rate)
    {
        var tenant = await Host.NewTenantAsync();
        var rejected = await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"url":"https://example.com/hooks","event_types":["*"],"rate_limit":{{rate}}}""");
        var problem = await rejected.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["rate_limit"]![0]!.GetValue<string>(), Does.Contain("from 1 to 10,000"));
        var listed = await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();
        Assert.That(listed["data"]!.AsArray(), Is.Empty, "the rejected create stored nothing");

        var webhook = await (await tenant.Http.PostJsonAsync("/v1/webhooks",
            """{"url":"https://example.com/hooks","event_types":["*"],"rate_limit":5}""")).OkAsync(HttpStatusCode.Created);
        var patch = await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhook.Id()}", $$"""{"rate_limit":{{rate}}}""");
        var patchProblem = await patch.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(patchProblem["errors"]!["rate_limit"], Is.Not.Null);
        var read = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhook.Id()}")).OkAsync();
        Assert.That(read["rate_limit"]!.GetValue<int>(), Is.EqualTo(5), "the rejected PATCH changed nothing");
    }

    [TestCase("\"fast\"")]
    [TestCase("2.5")]
    public async Task A_rate_limit_that_is_not_a_whole_number_is_a_400(string rate)
    {
        var tenant = await Host.NewTenantAsync();
        var rejected = await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"url":"https://example.com/hooks","event_types":["*"],"rate_limit":{{rate}}}""");
        var problem = await rejected.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ToJsonString(), Does.Contain("rate_limit"));
    }

    [Test]
    public async Task An_inbound_webhook_has_no_rate_limit()
    {
        var tenant = await Host.NewTenantAsync();
        var connector = await (await tenant.Http.PostJsonAsync("/v1/connectors", """{"name":"Jira","kind":"custom"}""")).OkAsync(HttpStatusCode.Created);
        var rejected = await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"connector_id":"{{connector.Id()}}","rate_limit":5}""");
        var problem = await rejected.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["rate_limit"], Is.Not.Null);
        var inbound = await (await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"connector_id":"{{connector.Id()}}"}""")).OkAsync(HttpStatusCode.Created);
        var patch = await tenant.Http.PatchJsonAsync($"/v1/webhooks/{inbound.Id()}", """{"rate_limit":5}""");
        Assert.That((await patch.ProblemAsync(HttpStatusCode.BadRequest))["errors"]!["rate_limit"], Is.Not.Null);
    }

    [Test]
    public async Task Deliveries_start_no_faster_than_the_limit_allows_in_any_window()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["sync.completed"]""");
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"rate_limit":20}""")).OkAsync();

        const int count = 100;
        await RateLimitArrivals.PublishAsync(tenant, count);
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received.Count >= count), "every event arrived", TimeSpan.FromSeconds(60));

        RateLimitArrivals.AssertWithin(receiver.Received.Select(r => r.At).ToList(), rate: 20, count);
    }
}

/// <summary>What the rate-limit tests check of the arrivals at a receiver.</summary>
public static class RateLimitArrivals
{
    /// <summary>Publishes <paramref name="count"/> <c>sync.completed</c> events as fast as the API takes them.</summary>
    public static async Task PublishAsync(Tenant tenant, int count)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await (await tenant.Http.PostJsonAsync("/v1/events", $$$"""{"type":"sync.completed","data":{"n":{{{i}}}}}""")).OkAsync(HttpStatusCode.Accepted);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>
    /// The bound of §17 on the arrivals (starts are counted at the lease, so an arrival can lag its start by the request's
    /// own time, longer on a loaded machine: 250 ms of slack per window), and that the limit held the deliveries back: the bucket starts full
    /// (one second's worth), so the rest took at least (count − rate) ÷ rate seconds.
    /// </summary>
    public static void AssertWithin(List<DateTimeOffset> arrivals, int rate, int count)
    {
        ArgumentNullException.ThrowIfNull(arrivals);
        arrivals.Sort();
        var slack = TimeSpan.FromMilliseconds(250);
        var worst = new List<string>();
        foreach (var seconds in new[] { 0.5, 1, 2, 3 })
        {
            var window = TimeSpan.FromSeconds(seconds);
            var most = arrivals.Select((start, i) => arrivals.Skip(i).TakeWhile(a => a - start < window - slack).Count()).Max();
            if (most > (seconds + 1) * rate)
            {
                worst.Add($"{most} arrivals in a window of {seconds} s (at most {(seconds + 1) * rate})");
            }
        }

        var span = arrivals[^1] - arrivals[0];
        Assert.Multiple(() =>
        {
            Assert.That(arrivals, Has.Count.EqualTo(count), "each event once");
            Assert.That(worst, Is.Empty, "no window of T seconds saw more than (T + 1) × rate starts");
            Assert.That(span.TotalSeconds, Is.GreaterThanOrEqualTo(((double)(count - rate) / rate) - 0.5), "the limit held the burst back");
        });
    }
}
