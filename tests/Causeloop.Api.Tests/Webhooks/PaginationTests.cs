using System.Net;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Webhooks;

public sealed class PaginationTests : ApiTest
{
    [Test]
    public async Task Walking_all_pages_returns_every_webhook_exactly_once_newest_first()
    {
        var tenant = await Host.NewTenantAsync();
        var created = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            created.Add((await tenant.Http.CreateOutboundAsync($"https://example.com/{i}")).Id());
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await tenant.Http.GetAsync($"/v1/webhooks?limit=4{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}")).OkAsync();
            seen.AddRange(page["data"]!.AsArray().Select(w => w!.Id()));
            cursor = page["next_cursor"]?.GetValue<string>();
            pages++;

            // Rows inserted while walking come before the cursor and never disturb the walk.
            await tenant.Http.CreateOutboundAsync("https://example.com/late");
        }
        while (cursor is not null && pages < 10);

        Assert.Multiple(() =>
        {
            Assert.That(pages, Is.EqualTo(3));
            Assert.That(seen, Is.EqualTo(Enumerable.Reverse(created).ToList()));
        });
    }

    [Test]
    public async Task Default_limit_is_50_and_the_last_page_has_no_cursor()
    {
        var tenant = await Host.NewTenantAsync();
        for (var i = 0; i < 3; i++)
        {
            await tenant.Http.CreateOutboundAsync();
        }

        var page = await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(page["data"]!.AsArray(), Has.Count.EqualTo(3));
            Assert.That(page.AsObject().ContainsKey("next_cursor"), Is.True);
            Assert.That(page["next_cursor"], Is.Null);
        });
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=101", "limit")]
    [TestCase("limit=-1", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("limit=0x10", "limit")]
    [TestCase("limit=50%00", "limit")]
    [TestCase("limit=%2B5", "limit")]
    [TestCase("limit=05", "limit")]
    [TestCase("limit=5.0", "limit")]
    [TestCase("limit=%205", "limit")]
    [TestCase("limit=5&limit=6", "limit")]
    [TestCase("limit=99999999999999999999", "limit")]
    [TestCase("cursor=garbage", "cursor")]
    [TestCase("cursor=YzE6bm90LWEtZ3VpZA", "cursor")]
    public async Task Bad_limits_and_cursors_are_400_on_every_list(string query, string field)
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = await WebhookApi.CreateOutboundAsync(tenant.Http, "https://example.com/hooks");
        var connector = await tenant.Http.CreateConnectorAsync();
        foreach (var list in new[] { "/v1/webhooks", "/v1/connectors", $"/v1/connectors/{connector.Id()}/events", $"/v1/webhooks/{webhook.Id()}/deliveries" })
        {
            var problem = await (await tenant.Http.GetAsync($"{list}?{query}")).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.That(problem["errors"]!.AsObject().ContainsKey(field), Is.True, $"{list}: {problem.ToJsonString()}");
        }
    }
}
