using System.Net;
using System.Text.RegularExpressions;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// §18's portal additions over HTTP with the session cookie: add, edit and delete endpoints through the API's commands
/// (their messages next to the field), a limited session's new endpoint joining its scope, the catalog with an example
/// send, one page per connector with what each event caused, and a delivery's cause.
/// </summary>
public sealed class PortalSelfServiceTests : ApiTest
{
    [Test]
    public async Task A_limited_session_adds_an_endpoint_that_joins_its_scope_edits_it_and_deletes_it_after_confirming()
    {
        var tenant = await Host.NewTenantAsync();
        var mine = await tenant.Http.CreateOutboundAsync("https://example.com/mine", """["sync.completed"]""");
        var browser = await PortalBrowser.OpenAsync(Host, tenant, $$"""{"webhook_ids":["{{mine.Id()}}"],"capabilities":["manage"]}""");

        var list = await browser.GetStringAsync("/portal/webhooks");
        Assert.That(list, Does.Contain(">Add endpoint</button>"));
        var form = await browser.GetStringAsync("/portal/webhooks/new");
        var refused = await PortalBrowser.PostFormAsync(browser, "/portal/webhooks/new", form, new("url", "ftp://example.com/x"), new("description", "Orders"));
        var refusedPage = await refused.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(FieldError("url").IsMatch(refusedPage), Is.True, "the url's message is next to the url field");
            Assert.That(FieldError("event_types").IsMatch(refusedPage), Is.True, "the event types' message is next to them");
            Assert.That(refusedPage, Does.Contain("value=\"Orders\""), "what was typed is kept");
        });

        foreach (var (filter, says) in new[] { ("{\"data.region\":", "not valid JSON"), ("{\"data.total\":{\"$gt\":\"100\"}}", "$gt takes a number") })
        {
            var badFilter = await PortalBrowser.PostFormAsync(browser, "/portal/webhooks/new", form,
                new("url", "https://example.com/orders"), new("event_types", "sync.completed"), new("filter", filter));
            var badPage = System.Net.WebUtility.HtmlDecode(await badFilter.Content.ReadAsStringAsync());
            Assert.Multiple(() =>
            {
                Assert.That(badFilter.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
                Assert.That(FieldError("filter").IsMatch(badPage), Is.True, "the filter's message is next to the filter field");
                Assert.That(badPage, Does.Contain(says));
            });
        }

        var added = await PortalBrowser.PostFormAsync(browser, "/portal/webhooks/new", form,
            new("url", "https://example.com/orders"), new("event_types", "sync.completed"), new("event_types", "pattern.detected"), new("description", "Orders"),
            new("filter", "{\"data.region\":\"eu\"}"));
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var newId = added.Headers.Location!.ToString().Split('/').Last();
        var created = await (await tenant.Http.GetAsync($"/v1/webhooks/{newId}")).OkAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(created["url"]!.GetValue<string>(), Is.EqualTo("https://example.com/orders"));
            Assert.That(created["event_types"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "sync.completed", "pattern.detected" }));
            Assert.That(created["filter"]!["data.region"]!.GetValue<string>(), Is.EqualTo("eu"));
            Assert.That(await browser.GetStringAsync("/portal/webhooks"), Does.Contain("https://example.com/orders"), "the new endpoint joined the session's scope");
        });

        var page = await browser.GetStringAsync($"/portal/webhooks/{newId}");
        Assert.That(page, Does.Contain(">Edit</button>").And.Contain(">Delete</button>"));
        var edit = await browser.GetStringAsync($"/portal/webhooks/{newId}/edit");
        Assert.That(edit, Does.Contain("value=\"https://example.com/orders\"").And.Contain("value=\"Orders\""));
        Assert.That(System.Net.WebUtility.HtmlDecode(edit), Does.Contain("{\"data.region\":\"eu\"}</textarea>"), "the filter is shown to edit");
        var edited = await PortalBrowser.PostFormAsync(browser, $"/portal/webhooks/{newId}/edit", edit,
            new("url", "https://example.com/orders/v2"), new("event_types", "*"), new("description", ""), new("filter", ""));
        Assert.That(edited.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var after = await (await tenant.Http.GetAsync($"/v1/webhooks/{newId}")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(after["url"]!.GetValue<string>(), Is.EqualTo("https://example.com/orders/v2"));
            Assert.That(after["event_types"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "*" }));
            Assert.That(after["description"], Is.Null);
            Assert.That(after["filter"], Is.Null, "an emptied filter field removes the filter");
        });

        var confirm = await browser.GetStringAsync($"/portal/webhooks/{newId}/delete");
        Assert.That(confirm, Does.Contain("Delete this endpoint?").And.Contain(">Delete</button>"));
        Assert.That((await tenant.Http.GetAsync($"/v1/webhooks/{newId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "opening the confirmation deletes nothing");
        var deleted = await PortalBrowser.PostFormAsync(browser, $"/portal/webhooks/{newId}/delete", confirm);
        Assert.Multiple(async () =>
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That((await tenant.Http.GetAsync($"/v1/webhooks/{newId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await tenant.Http.GetAsync($"/v1/webhooks/{mine.Id()}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task A_read_session_sees_no_self_service_button_and_is_refused_each_action()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = await tenant.Http.CreateOutboundAsync();
        var other = await tenant.Http.CreateOutboundAsync("https://example.com/not-in-the-session");
        var reader = await PortalBrowser.OpenAsync(Host, tenant, """{"capabilities":["read"]}""");
        var page = await reader.GetStringAsync($"/portal/webhooks/{webhook.Id()}");
        var catalog = await reader.GetStringAsync("/portal/event-types");
        Assert.Multiple(async () =>
        {
            Assert.That(await reader.GetStringAsync("/portal/webhooks"), Does.Not.Contain("Add endpoint"));
            Assert.That(page, Does.Not.Contain(">Edit</button>").And.Not.Contain(">Delete</button>"));
            Assert.That(catalog, Does.Contain("sync.completed").And.Not.Contain("Send example event"));
            Assert.That((await reader.GetAsync("/portal/webhooks/new")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await reader.GetAsync($"/portal/webhooks/{webhook.Id()}/edit")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await reader.GetAsync($"/portal/webhooks/{webhook.Id()}/delete")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            var forged = await reader.PostAsync($"/portal/webhooks/{webhook.Id()}/delete", new FormUrlEncodedContent([]));
            Assert.That(forged.StatusCode, Is.AnyOf(HttpStatusCode.BadRequest, HttpStatusCode.Forbidden), "a forged POST is refused");
            Assert.That((await tenant.Http.GetAsync($"/v1/webhooks/{webhook.Id()}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });

        var limited = await PortalBrowser.OpenAsync(Host, tenant, $$"""{"webhook_ids":["{{webhook.Id()}}"],"capabilities":["manage"]}""");
        Assert.That((await limited.GetAsync($"/portal/webhooks/{other.Id()}/delete")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "outside the session");
    }

    [Test]
    public async Task The_catalog_shows_each_type_and_sends_an_example_to_a_chosen_endpoint()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["pattern.detected"]""");
        var browser = await PortalBrowser.OpenAsync(Host, tenant, """{"capabilities":["manage"]}""");
        var catalog = await browser.GetStringAsync("/portal/event-types");
        Assert.Multiple(() =>
        {
            foreach (var type in Causeloop.Domain.Webhooks.EventType.Catalog)
            {
                Assert.That(catalog, Does.Contain($"id=\"type-{type.Name}\""));
                Assert.That(WebUtility.HtmlDecode(catalog), Does.Contain(type.Description));
            }

            Assert.That(catalog, Does.Contain("JSON Schema").And.Contain("&quot;duration_ms&quot;"));
            Assert.That(catalog, Does.Contain(">Send example event</button>"));
        });

        var sent = await PortalBrowser.PostFormAsync(browser, "/portal/event-types?handler=SendExample", catalog, new("type", "sync.completed"), new("webhookId", webhookId));
        Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await sent.Content.ReadAsStringAsync(), Does.Contain("An example sync.completed event"));
        var received = (await receiver.WaitForAsync(1)).Single();
        Assert.That(received.Header("x-causeloop-event-type"), Is.EqualTo("sync.completed"));
    }

    [Test]
    public async Task A_connector_page_shows_each_body_its_source_and_the_event_it_caused_and_a_delivery_shows_its_cause()
    {
        var source = await SignedSource.CreateAsync(Host);
        var tenant = source.Tenant;
        await using var receiver = await Receiver.StartAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["issue.ingested"]""");
        var accepted = await SignedSource.AcceptedAsync(await source.SendAsync(Host.Client(), """{"issue":{"key":"CL-9","title":"Checkout times out"}}""", eventId: "jira-9"));
        await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        var browser = await PortalBrowser.OpenAsync(Host, tenant, "{}");

        var page = await browser.GetStringAsync($"/portal/connectors/{source.ConnectorId}");
        var deliveryId = (await tenant.DeliveriesAsync(webhookId)).Single()!.Id();
        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain($"id=\"event-{accepted.Id()}\""));
            Assert.That(page, Does.Contain("&quot;key&quot;: &quot;CL-9&quot;"), "the body, pretty-printed");
            Assert.That(page, Does.Contain("jira-9"), "the source's delivery id");
            Assert.That(page, Does.Contain("issue.ingested"));
            Assert.That(page, Does.Contain($"/portal/webhooks/{webhookId}/deliveries/{deliveryId}"), "the caused event's delivery");
            Assert.That(page, Does.Contain("succeeded"));
        });

        var delivery = await browser.GetStringAsync($"/portal/webhooks/{webhookId}/deliveries/{deliveryId}");
        Assert.That(delivery, Does.Contain("received from a connector").And.Contain($"/portal/connectors/{source.ConnectorId}#event-{accepted.Id()}"));
        var stranger = await PortalBrowser.OpenAsync(Host, tenant, $$"""{"webhook_ids":["{{webhookId}}"]}""");
        Assert.That((await stranger.GetAsync($"/portal/connectors/{source.ConnectorId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a session without the connector");
    }

    private static Regex FieldError(string field) => new($"id=\"{field}-error\" class=\"error\" role=\"alert\">[^<]+<");
}
