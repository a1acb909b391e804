using System.Net;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Domain.Access;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>
/// §16: an outbound webhook's <c>filter</c> is set on create and PATCH, shown by GET, removed by null; a bad one is a
/// 400 naming what is wrong; at fan-out an event the filter does not match makes no delivery at all.
/// </summary>
public sealed class PayloadFilterApiTests : ApiTest
{
    private const string EuOrders = """{"data.currency":"EUR","data.total":{"$gte":100}}""";

    [Test]
    public async Task A_filter_is_set_on_create_shown_changed_by_patch_and_removed_by_null()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await (await tenant.Http.PostJsonAsync("/v1/webhooks",
            $$"""{"url":"https://example.com/hooks","event_types":["sync.completed"],"filter":{{EuOrders}}}""")).OkAsync(HttpStatusCode.Created);
        var id = created.Id();
        Assert.That(JsonNode.DeepEquals(created["filter"], JsonNode.Parse(EuOrders)), Is.True, created.ToJsonString());

        var read = await (await tenant.Http.GetAsync($"/v1/webhooks/{id}")).OkAsync();
        Assert.That(JsonNode.DeepEquals(read["filter"], JsonNode.Parse(EuOrders)), Is.True, read.ToJsonString());

        var patched = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"filter":{"$or":[{"data.vip":true},{"type":"sync.completed"}]}}""")).OkAsync();
        Assert.That(patched["filter"]!["$or"]!.AsArray(), Has.Count.EqualTo(2));

        var described = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"description":"left alone"}""")).OkAsync();
        Assert.That(described["filter"]!["$or"], Is.Not.Null, "a PATCH without filter keeps it");

        var cleared = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"filter":null}""")).OkAsync();
        Assert.That(cleared["filter"], Is.Null);
        var listed = await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();
        Assert.That(listed["data"]!.AsArray().Single(w => w!.Id() == id)!["filter"], Is.Null);
    }

    [TestCase("""{"data.total":{"$gt":"100"}}""", "$gt takes a number")]
    [TestCase("""{"data.total":{"$regex":"1"}}""", "unknown operator $regex")]
    [TestCase("""{"data..total":1}""", "a path is dot-separated names")]
    [TestCase("""[1]""", "a filter is a JSON object")]
    [TestCase("""{"$or":[{"$or":[{"$or":[{"$or":[{"$or":[{"a":1}]}]}]}]}]}""", "at most 5 deep")]
    public async Task A_bad_filter_is_a_400_with_errors_filter_and_changes_nothing(string filter, string says)
    {
        var tenant = await Host.NewTenantAsync();
        var rejected = await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"url":"https://example.com/hooks","event_types":["*"],"filter":{{filter}}}""");
        var problem = await rejected.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["filter"]![0]!.GetValue<string>(), Does.Contain(says));

        var webhook = await tenant.Http.CreateOutboundAsync();
        var patch = await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhook.Id()}", $$"""{"filter":{{filter}}}""");
        var patchProblem = await patch.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(patchProblem["errors"]!["filter"]![0]!.GetValue<string>(), Does.Contain(says));
        var read = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhook.Id()}")).OkAsync();
        Assert.That(read["filter"], Is.Null, "the rejected PATCH changed nothing");
    }

    [Test]
    public async Task A_filter_over_4_KiB_or_50_conditions_is_refused()
    {
        var tenant = await Host.NewTenantAsync();
        var big = "{" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"data.f{i}\":{i}")) + "}";
        var tooMany = await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"url":"https://example.com/hooks","event_types":["*"],"filter":{{big}}}""");
        Assert.That((await tooMany.ProblemAsync(HttpStatusCode.BadRequest))["errors"]!["filter"]![0]!.GetValue<string>(), Does.Contain("50"));
        var long_ = $$"""{"data.note":"{{new string('x', 4100)}}"}""";
        var tooLong = await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"url":"https://example.com/hooks","event_types":["*"],"filter":{{long_}}}""");
        Assert.That((await tooLong.ProblemAsync(HttpStatusCode.BadRequest))["errors"]!["filter"]![0]!.GetValue<string>(), Does.Contain("4 KiB"));
    }

    [Test]
    public async Task Only_matching_events_make_a_delivery()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var filtered = await (await tenant.Http.PostJsonAsync("/v1/webhooks",
            $$"""{"url":"{{receiver.Url}}","event_types":["sync.completed"],"filter":{{EuOrders}}}""")).OkAsync(HttpStatusCode.Created);
        var everything = await tenant.Http.CreateOutboundAsync(receiver.Url + "/all", """["sync.completed"]""");

        var matching = await tenant.PublishAsync(data: """{"currency":"EUR","total":150}""");
        var cheap = await tenant.PublishAsync(data: """{"currency":"EUR","total":99}""");
        var dollars = await tenant.PublishAsync(data: """{"currency":"USD","total":150}""");
        var typed = await tenant.PublishAsync(data: """{"currency":"EUR","total":"150"}""");
        foreach (var id in new[] { matching, cheap, dollars, typed })
        {
            await Host.WaitForFanOutAsync(id);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await Host.DeliveryCountAsync(filtered.Id()), Is.EqualTo(1), "only the EUR order of 150 passes the filter");
            Assert.That(await Host.DeliveryCountAsync(everything.Id()), Is.EqualTo(4), "a webhook without a filter gets every event");
        });
        var delivered = await tenant.WaitForDeliveryAsync(filtered.Id(), "succeeded");
        Assert.That(delivered["event_id"]!.GetValue<string>(), Is.EqualTo(matching));
    }

    [Test]
    public async Task The_filter_test_answers_whether_an_event_would_match_and_sends_nothing()
    {
        await using var receiver = await Receiver.StartAsync();
        var admin = await Host.NewTenantAsync();
        var webhook = await (await admin.Http.PostJsonAsync("/v1/webhooks",
            $$"""{"url":"{{receiver.Url}}","event_types":["*"],"filter":{{EuOrders}}}""")).OkAsync(HttpStatusCode.Created);
        using var reader = Host.Client(await Host.CreateKeyAsync(admin.Workspace, Scope.WebhooksRead));
        var uri = $"/v1/webhooks/{webhook.Id()}/filter/test";

        var yes = await (await reader.PostJsonAsync(uri, """{"type":"sync.completed","data":{"currency":"EUR","total":100}}""")).OkAsync();
        var no = await (await reader.PostJsonAsync(uri, """{"type":"sync.completed","data":{"currency":"EUR","total":"100"}}""")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(yes["matches"]!.GetValue<bool>(), Is.True);
            Assert.That(no["matches"]!.GetValue<bool>(), Is.False, "a string never equals or compares with a number");
        });

        var unfiltered = await admin.Http.CreateOutboundAsync(receiver.Url.ToString());
        var all = await (await reader.PostJsonAsync($"/v1/webhooks/{unfiltered.Id()}/filter/test", """{"type":"sync.completed","data":{}}""")).OkAsync();
        Assert.That(all["matches"]!.GetValue<bool>(), Is.True, "no filter matches everything");

        var missingData = await (await reader.PostJsonAsync(uri, """{"type":"sync.completed"}""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(missingData["errors"]!["data"], Is.Not.Null);
        var missingType = await (await reader.PostJsonAsync(uri, """{"data":{}}""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(missingType["errors"]!["type"], Is.Not.Null);
        await (await reader.PostJsonAsync($"/v1/webhooks/{Guid.NewGuid()}/filter/test", """{"type":"sync.completed","data":{}}""")).ProblemAsync(HttpStatusCode.NotFound);
        using var publisher = Host.Client(await Host.CreateKeyAsync(admin.Workspace, Scope.EventsWrite));
        Assert.That((await publisher.PostJsonAsync(uri, """{"type":"sync.completed","data":{}}""")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        Assert.That(await Host.DeliveryCountAsync(webhook.Id()), Is.Zero, "a filter test sends nothing");
        Assert.That(receiver.Received, Is.Empty);
    }
}
