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
        var inbound = await SignedSource.CreateAsync(Host, tenant);
        using (var source = Host.Client())
        {
            await SignedSource.AcceptedAsync(await inbound.SendAsync(source, """{"scoped":true}""", eventId: "scoped-evt-1"));
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

    [Test]
    public async Task Every_portal_action_on_an_inbound_webhook_is_404_and_changes_nothing()
    {
        var tenant = await Host.NewTenantAsync();
        var outbound = await tenant.Http.CreateOutboundAsync();
        var inbound = await SignedSource.CreateAsync(Host, tenant);
        var id = Guid.Parse(inbound.WebhookId);
        // A delivery to the inbound webhook cannot arise; one is planted so that Redeliver has something to copy.
        var eventId = Guid.CreateVersion7();
        var deliveryId = Guid.CreateVersion7();
        await Host.ExecuteAsync("""
            insert into events (id, workspace_id, type, body, created_at) select @eventId, workspace_id, 'sync.completed', '\x7b7d', now() from webhooks where id = @id;
            insert into deliveries (id, workspace_id, webhook_id, event_id, status, created_at, updated_at)
                select @deliveryId, workspace_id, id, @eventId, 'dead', now(), now() from webhooks where id = @id;
            """, new { id, eventId, deliveryId });
        var before = await Host.ScalarAsync<byte[]>("select secret from webhooks where id = @id", new { id });

        var browser = await PortalBrowser.OpenAsync(Host, tenant, """{"capabilities":["manage","secrets"]}""");
        var page = await browser.GetStringAsync($"/portal/webhooks/{outbound.Id()}");
        Assert.That((await browser.GetAsync($"/portal/webhooks/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the portal never shows an inbound webhook");
        var answers = new List<(string Handler, HttpStatusCode Status, string Body)>();
        foreach (var (handler, fields) in new (string, KeyValuePair<string, string>[])[]
        {
            ("Rotate", []), ("Reveal", []), ("Disable", []), ("Test", []), ("Recover", [new("since", DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-ddTHH:mm"))]),
        })
        {
            var response = await PortalBrowser.PostFormAsync(browser, $"/portal/webhooks/{id}?handler={handler}", page, fields);
            answers.Add((handler, response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"enabled":false}""")).OkAsync();
        var enable = await PortalBrowser.PostFormAsync(browser, $"/portal/webhooks/{id}?handler=Enable", page);
        answers.Add(("Enable", enable.StatusCode, await enable.Content.ReadAsStringAsync()));
        var redeliver = await PortalBrowser.PostFormAsync(browser, $"/portal/webhooks/{id}/deliveries/{deliveryId}?handler=Redeliver", page);
        answers.Add(("Redeliver", redeliver.StatusCode, await redeliver.Content.ReadAsStringAsync()));
        Assert.Multiple(async () =>
        {
            foreach (var (handler, status, body) in answers)
            {
                Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), handler);
                Assert.That(body, Does.Not.Contain(inbound.Secret[..12]), handler);
            }

            Assert.That(await Host.ScalarAsync<byte[]>("select secret from webhooks where id = @id", new { id }), Is.EqualTo(before), "the secret was not rotated");
            Assert.That(await Host.ScalarAsync<bool>("select previous_secret is null from webhooks where id = @id", new { id }), Is.True);
            Assert.That(await Host.ScalarAsync<long>("select count(*) from events where target_webhook_id = @id or subject_webhook_id = @id", new { id }), Is.Zero,
                "no test event, no endpoint.disabled or endpoint.enabled");
            Assert.That(await Host.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id", new { id }), Is.EqualTo(1), "nothing redelivered or recovered");
            var listed = await tenant.Http.PostJsonAsync("/v1/portal/sessions", $$"""{"webhook_ids":["{{id}}"]}""");
            Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a session cannot list an inbound webhook: the portal would never show it");
            var state = await (await tenant.Http.GetAsync($"/v1/webhooks/{id}")).OkAsync();
            Assert.That(state["enabled"]!.GetValue<bool>(), Is.False, "still as the API left it: the portal's Disable and Enable did nothing");
        });
    }

    [Test]
    public async Task A_session_never_shows_more_than_the_key_that_opened_it_could_read()
    {
        var owner = await Host.NewTenantAsync();
        var inbound = await SignedSource.CreateAsync(Host, owner);
        using (var source = Host.Client())
        {
            await SignedSource.AcceptedAsync(await inbound.SendAsync(source, """{"capped":true}""", eventId: "capped-evt-1"));
        }

        using var webhooksOnlyKey = Host.Client(await Host.CreateKeyAsync(owner.Workspace, Causeloop.Domain.Access.Scope.WebhooksAdmin));
        var created = await (await webhooksOnlyKey.PostJsonAsync("/v1/portal/sessions", """{"capabilities":["manage","secrets"]}""")).OkAsync(HttpStatusCode.Created);
        var browser = await PortalBrowser.ExchangeAsync(Host, created);
        var connectors = await browser.GetAsync("/portal/connectors");
        var page = await connectors.Content.ReadAsStringAsync();
        var listed = await webhooksOnlyKey.PostJsonAsync("/v1/portal/sessions", $$"""{"connector_ids":["{{inbound.ConnectorId}}"]}""");
        Assert.Multiple(() =>
        {
            Assert.That(connectors.StatusCode, Is.EqualTo(HttpStatusCode.OK), page);
            Assert.That(page, Does.Not.Contain("capped-evt-1").And.Not.Contain("Jira"), "the key could not read connectors, so neither can its session");
            Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a key that cannot read connectors cannot share one");
            Assert.That(listed.Headers.WwwAuthenticate.ToString(), Does.Contain("scope=\"connectors:read\""));
        });

        var reader = await PortalBrowser.OpenAsync(Host, owner, "{}");
        Assert.That(await reader.GetStringAsync("/portal/connectors"), Does.Contain("capped-evt-1"), "a key that reads connectors shares them");
    }
}
