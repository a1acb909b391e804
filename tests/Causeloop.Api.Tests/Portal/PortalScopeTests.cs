using System.Net;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Portal;

/// <summary>§12: what a session covers (its lists, outbound webhooks only) and what it may do (never more than the key that opened it).</summary>
public sealed class PortalScopeTests : ApiTest
{
    [Test]
    public async Task A_session_for_some_webhooks_covers_no_connector_and_one_for_some_connectors_no_webhook()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = await tenant.Http.CreateOutboundAsync("https://example.com/scoped-hook");
        var inbound = await InboundEndpoint.CreateAsync(Host, tenant);
        using (var source = Host.Client())
        {
            await InboundEndpoint.AcceptedAsync(await inbound.SendAsync(source, """{"scoped":true}""", eventId: "scoped-evt-1"));
            await (await inbound.SendAsync(source, "{}", secret: "whsec_wrong")).ProblemAsync(HttpStatusCode.Unauthorized);
        }

        await Eventually.HoldsAsync(async () => await Host.ScalarAsync<long>("select count(*) from inbound_rejections where connector_id = @id", new { id = Guid.Parse(inbound.ConnectorId) }) == 1,
            "the rejection is logged");

        var webhooksOnly = await PortalBrowser.OpenAsync(Host, tenant, $$"""{"webhook_ids":["{{webhook.Id()}}"]}""");
        var connectorsPage = await webhooksOnly.GetStringAsync("/portal/connectors");
        Assert.Multiple(async () =>
        {
            Assert.That(await webhooksOnly.GetStringAsync("/portal/webhooks"), Does.Contain("https://example.com/scoped-hook"));
            Assert.That(connectorsPage, Does.Not.Contain("Jira").And.Not.Contain("scoped-evt-1").And.Not.Contain("signature_mismatch").And.Not.Contain("127.0.0.1"),
                "webhook_ids without connector_ids covers no connector: no events, no rejection log with addresses");
        });

        var connectorsOnly = await PortalBrowser.OpenAsync(Host, tenant, $$"""{"connector_ids":["{{inbound.ConnectorId}}"],"capabilities":["secrets"]}""");
        Assert.Multiple(async () =>
        {
            Assert.That(await connectorsOnly.GetStringAsync("/portal/connectors"), Does.Contain("scoped-evt-1"));
            Assert.That(await connectorsOnly.GetStringAsync("/portal/webhooks"), Does.Not.Contain("scoped-hook"), "connector_ids without webhook_ids covers no webhook");
            Assert.That((await connectorsOnly.GetAsync($"/portal/webhooks/{webhook.Id()}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound),
                "so its secrets capability reaches no webhook");
        });
    }
}
