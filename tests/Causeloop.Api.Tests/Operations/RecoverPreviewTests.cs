using System.Net;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Causeloop.Api.Tests.Operations;

/// <summary>Replay preview (SPEC §18): recover takes event_types and dry_run; a dry run creates nothing and counts exactly what a real run then recovers.</summary>
public sealed class RecoverPreviewTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.100",
        ["Causeloop:Delivery:RetryDelays:1"] = "00:00:00.100",
        ["Causeloop:Delivery:RetryJitter"] = "0",
    };

    [Test]
    public async Task A_dry_run_counts_and_samples_what_a_real_run_then_recovers_exactly_and_creates_nothing()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(Results.StatusCode(503));
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["sync.completed","pattern.detected"]""");
        var since = DateTime.UtcNow.AddMinutes(-1);
        var syncs = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            syncs.Add(await tenant.PublishAsync(data: $$"""{"n":{{i}}}"""));
        }

        await tenant.PublishAsync("pattern.detected", """{"pattern":"p"}""");
        await Eventually.HoldsAsync(async () => await Host.ScalarAsync<long>(
            "select count(*) from deliveries where webhook_id = @id and status = 'dead'", new { id = Guid.Parse(webhookId) }) == 3, "every delivery is dead");

        var body = $$"""{"since":"{{since:O}}","event_types":["sync.completed"],"dry_run":true}""";
        var preview = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhookId}/recover", body)).OkAsync(HttpStatusCode.OK);
        var everything = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhookId}/recover", $$"""{"since":"{{since:O}}","dry_run":true}""")).OkAsync(HttpStatusCode.OK);
        var sample = preview["sample"]!.AsArray();
        Assert.Multiple(async () =>
        {
            Assert.That(preview["count"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(sample.Select(e => e!["event_id"]!.GetValue<string>()), Is.EqualTo(syncs), "oldest first");
            Assert.That(sample.Select(e => e!["type"]!.GetValue<string>()), Is.All.EqualTo("sync.completed"));
            Assert.That(sample[0]!["created_at"], Is.Not.Null);
            Assert.That(everything["count"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(await Host.DeliveryCountAsync(webhookId), Is.EqualTo(3), "a dry run creates nothing");
        });

        var real = await (await tenant.Http.PostJsonAsync($$"""/v1/webhooks/{{webhookId}}/recover""", body.Replace(",\"dry_run\":true", "", StringComparison.Ordinal))).OkAsync(HttpStatusCode.Accepted);
        var after = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhookId}/recover", body)).OkAsync(HttpStatusCode.OK);
        Assert.Multiple(async () =>
        {
            Assert.That(real["count"]!.GetValue<int>(), Is.EqualTo(preview["count"]!.GetValue<int>()), "the real run recovers exactly what the dry run counted");
            Assert.That(real["sample"], Is.Null, "a real run answers only the count");
            Assert.That(await Host.DeliveryCountAsync(webhookId), Is.EqualTo(5));
            Assert.That(after["count"]!.GetValue<int>(), Is.Zero, "what was recovered is not counted again");
        });
    }

    [Test]
    public async Task Event_types_outside_the_catalog_or_an_empty_list_are_refused()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = await tenant.Http.CreateOutboundAsync();
        var since = DateTime.UtcNow.AddHours(-1);
        foreach (var types in new[] { "[]", """["nope.happened"]""", """["*"]""" })
        {
            var problem = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhook.Id()}/recover", $$"""{"since":"{{since:O}}","event_types":{{types}},"dry_run":true}"""))
                .ProblemAsync(HttpStatusCode.BadRequest);
            Assert.That(problem["errors"]!["event_types"], Is.Not.Null, types);
        }
    }
}
