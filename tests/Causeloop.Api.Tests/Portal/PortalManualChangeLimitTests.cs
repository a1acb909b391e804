using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// §11/§12: each Disable or Enable from the portal emits an operational event, so a portal session may change one webhook's
/// state only so often (<c>Causeloop:Portal:ManualChangeLimit</c> per <c>ManualChangeWindow</c>); past it, a clear 429.
/// </summary>
public sealed class PortalManualChangeLimitTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Portal:ManualChangeLimit"] = "2",
        ["Causeloop:Portal:ManualChangeWindow"] = "01:00:00",
    };

    [Test]
    public async Task Disable_and_enable_from_the_portal_are_refused_past_the_limit_and_emit_nothing_more()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = await tenant.Http.CreateOutboundAsync("https://example.com/toggled");
        var other = await tenant.Http.CreateOutboundAsync("https://example.com/other");
        var id = Guid.Parse(webhook.Id());
        var browser = await PortalBrowser.OpenAsync(Host, tenant, """{"capabilities":["manage"]}""");
        var page = await browser.GetStringAsync($"/portal/webhooks/{id}");

        var disabled = await PortalBrowser.PostFormAsync(browser, $"/portal/webhooks/{id}?handler=Disable", page);
        var enabled = await PortalBrowser.PostFormAsync(browser, $"/portal/webhooks/{id}?handler=Enable", page);
        var refused = await PortalBrowser.PostFormAsync(browser, $"/portal/webhooks/{id}?handler=Disable", page);
        var refusal = await refused.Content.ReadAsStringAsync();
        var elsewhere = await PortalBrowser.PostFormAsync(browser, $"/portal/webhooks/{other.Id()}?handler=Disable", page);
        Assert.Multiple(async () =>
        {
            Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(enabled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(refused.StatusCode, Is.EqualTo((HttpStatusCode)429), refusal);
            Assert.That(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, Is.GreaterThan(TimeSpan.FromMinutes(55)).And.LessThanOrEqualTo(TimeSpan.FromHours(1)));
            Assert.That(refusal, Does.Contain("2 times").And.Contain("try again"), "the refusal says why and when");
            Assert.That(refusal, Does.Contain("<nav class=\"nav\" aria-label=\"Portal\">").And.Contain($"<a href=\"/portal/webhooks/{id}\">Back</a>"),
                "the portal's own page, in its layout, leading back to the webhook");
            Assert.That((await (await tenant.Http.GetAsync($"/v1/webhooks/{id}")).OkAsync())["enabled"]!.GetValue<bool>(), Is.True, "the refused Disable changed nothing");
            Assert.That(await Host.ScalarAsync<long>("select count(*) from events where subject_webhook_id = @id", new { id }), Is.EqualTo(2),
                "one endpoint.disabled and one endpoint.enabled, no more");
            Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the limit is per webhook");
        });

        var owner = await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"enabled":false}""");
        Assert.That(owner.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the API key's owner is not limited");
    }
}
