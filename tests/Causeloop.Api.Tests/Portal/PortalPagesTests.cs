using System.Net;
using System.Text.RegularExpressions;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Causeloop.Api.Tests.Portal;

/// <summary>§12's pages over HTTP with the session cookie: scoped to the session, actions gated by capability, forms protected.</summary>
public sealed partial class PortalPagesTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.100",
        ["Causeloop:Delivery:RetryDelays:1"] = "00:00:00.100",
    };

    [Test]
    public async Task A_manage_session_sees_its_webhook_its_deliveries_and_redelivers_a_failed_one()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        var broken = true;
        receiver.Respond = (_, _) => Task.FromResult(broken ? Results.Text("upstream exploded", statusCode: 500) : Results.NoContent());
        var mine = await tenant.Http.CreateOutboundAsync(receiver.Url.ToString(), """["sync.completed"]""");
        var other = await tenant.Http.CreateOutboundAsync("https://example.com/other", """["sync.completed"]""");
        await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{"order":42}}""")).OkAsync(HttpStatusCode.Accepted);
        await Eventually.HoldsAsync(async () => await Host.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id and status = 'dead'", new { id = Guid.Parse(mine.Id()) }) == 1,
            "the delivery died");

        var browser = await OpenAsync(tenant, $$"""{"webhook_ids":["{{mine.Id()}}"],"capabilities":["manage"]}""");
        var list = await browser.GetStringAsync("/portal/webhooks");
        Assert.Multiple(() =>
        {
            Assert.That(list, Does.Contain(receiver.Url.ToString()));
            Assert.That(list, Does.Not.Contain("https://example.com/other"), "only the session's webhooks");
        });

        var page = await browser.GetStringAsync($"/portal/webhooks/{mine.Id()}?status=dead");
        var deliveryId = DeliveryLink().Match(page).Groups[1].Value;
        Assert.That(deliveryId, Is.Not.Empty, page);
        var delivery = await browser.GetStringAsync($"/portal/webhooks/{mine.Id()}/deliveries/{deliveryId}");
        Assert.Multiple(() =>
        {
            Assert.That(delivery, Does.Contain("500").And.Contain("upstream exploded"));
            Assert.That(delivery, Does.Contain("&quot;order&quot;: 42"), "the body, pretty-printed");
            Assert.That(delivery, Does.Contain(">Redeliver</button>"));
            Assert.That(delivery, Does.Not.Contain("Reveal secret"), "no secrets capability");
        });

        broken = false;
        var redeliver = await PostFormAsync(browser, $"/portal/webhooks/{mine.Id()}/deliveries/{deliveryId}?handler=Redeliver", delivery);
        Assert.That(redeliver.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        await Eventually.HoldsAsync(async () => await Host.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id and status = 'succeeded'", new { id = Guid.Parse(mine.Id()) }) == 1,
            "the redelivery succeeded");

        Assert.Multiple(async () =>
        {
            Assert.That((await browser.GetAsync($"/portal/webhooks/{other.Id()}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another webhook is 404");
            var reveal = await PostFormAsync(browser, $"/portal/webhooks/{mine.Id()}?handler=Reveal", page);
            Assert.That(reveal.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the server refuses what the capabilities do not allow");
            var forged = await browser.PostAsync($"/portal/webhooks/{mine.Id()}?handler=Disable", new FormUrlEncodedContent([]));
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a form without the anti-forgery token is refused");
        });
    }

    [Test]
    public async Task A_read_session_shows_no_action_and_a_revoked_one_is_logged_out()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = await tenant.Http.CreateOutboundAsync();
        var created = await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", "{}")).OkAsync(HttpStatusCode.Created);
        var browser = await ExchangeAsync(created);
        var page = await browser.GetStringAsync($"/portal/webhooks/{webhook.Id()}");
        foreach (var label in new[] { "Redeliver", "Send test event", "Recover", "Disable", "Enable", "Rotate secret", "Reveal secret" })
        {
            Assert.That(page, Does.Not.Contain($">{label}</button>"), label);
        }

        await tenant.Http.DeleteAsync($"/v1/portal/sessions/{created.Id()}");
        var after = await browser.GetAsync("/portal/webhooks");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await after.Content.ReadAsStringAsync(), Does.Contain("no longer valid"));
    }

    [Test]
    public async Task A_secrets_session_reveals_and_rotates_the_secret_and_connectors_show_their_events_and_rejections()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await tenant.Http.CreateOutboundAsync("https://example.com/h");
        var secret = created.SigningSecret();
        var inbound = await Inbound.SignedSource.CreateAsync(Host, tenant);
        using (var source = Host.Client())
        {
            await Inbound.SignedSource.AcceptedAsync(await inbound.SendAsync(source, """{"portal":true}""", eventId: "portal-evt-1"));
            await (await inbound.SendAsync(source, "{}", secret: "whsec_wrong")).ProblemAsync(HttpStatusCode.Unauthorized);
        }

        var browser = await OpenAsync(tenant, """{"capabilities":["secrets"]}""");
        var page = await browser.GetStringAsync($"/portal/webhooks/{created.Id()}");
        Assert.That(page, Does.Contain(">Reveal secret</button>").And.Contain(">Rotate secret</button>").And.Not.Contain(">Send test event</button>"));
        // Read as the browser shows it: Razor encodes + and = in text.
        var revealed = WebUtility.HtmlDecode(await (await PostFormAsync(browser, $"/portal/webhooks/{created.Id()}?handler=Reveal", page)).Content.ReadAsStringAsync());
        Assert.That(revealed, Does.Contain(secret));
        var rotated = WebUtility.HtmlDecode(await (await PostFormAsync(browser, $"/portal/webhooks/{created.Id()}?handler=Rotate", page)).Content.ReadAsStringAsync());
        Assert.That(rotated, Does.Contain("whsec_").And.Not.Contain(secret), "the new secret is shown once");

        await Eventually.HoldsAsync(async () =>
        {
            var connectors = await browser.GetStringAsync("/portal/connectors");
            return connectors.Contains("portal-evt-1", StringComparison.Ordinal) && connectors.Contains("signature_mismatch", StringComparison.Ordinal);
        }, "the connectors page shows the event and the rejection");
    }

    [Test]
    public async Task The_webhook_page_shows_its_payload_filter_rate_limit_and_each_deliverys_ordering_key()
    {
        const string Filter = """{"data.region":{"$in":["eu","uk"]}}""";
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        var webhook = await (await tenant.Http.PostJsonAsync("/v1/webhooks",
            $$"""{"url":"{{receiver.Url}}","event_types":["sync.completed"],"filter":{{Filter}},"rate_limit":2500}""")).OkAsync(HttpStatusCode.Created);
        await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{"region":"eu"},"ordering_key":"order-7"}""")).OkAsync(HttpStatusCode.Accepted);
        await receiver.WaitForAsync(1);

        var browser = await OpenAsync(tenant, "{}");
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/portal/webhooks/{webhook.Id()}"));
        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain($"""<code id="filter">{Filter}</code>"""));
            Assert.That(page, Does.Contain("key <code>order-7</code>"));
            Assert.That(page, Does.Contain("At most 2,500 deliveries start per second"));
        });
    }

    private Task<HttpClient> OpenAsync(Tenant tenant, string body) => PortalBrowser.OpenAsync(Host, tenant, body);

    private Task<HttpClient> ExchangeAsync(System.Text.Json.Nodes.JsonNode created) => PortalBrowser.ExchangeAsync(Host, created);

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string url, string pageWithForm) =>
        PortalBrowser.PostFormAsync(browser, url, pageWithForm);

    [GeneratedRegex("/deliveries/([0-9a-f-]{36})\"")]
    private static partial Regex DeliveryLink();
}
