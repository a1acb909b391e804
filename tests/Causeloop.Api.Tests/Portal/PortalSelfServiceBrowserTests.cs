using System.Net;
using System.Text.Json;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Microsoft.Playwright;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// §18's self-service in headless Chromium at 375 px, partly by keyboard: add an endpoint, send it an example event and
/// see it arrive with its cause, edit it, delete it after confirming; a connector's page with what each event caused.
/// </summary>
[NonParallelizable]
public sealed class PortalSelfServiceBrowserTests : BrowserTest
{
    [Test]
    public async Task A_customer_adds_an_endpoint_receives_an_example_edits_it_and_deletes_it()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        var mine = await tenant.Http.CreateOutboundAsync("https://example.com/existing", """["pattern.detected"]""");
        var link = (await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", $$"""{"webhook_ids":["{{mine.Id()}}"],"capabilities":["manage"]}""")).OkAsync(HttpStatusCode.Created))["url"]!.GetValue<string>();

        await using var context = await PhoneAsync();
        var page = await context.NewPageAsync();
        await OpenLinkAsync(page, link);
        await ShotAsync(page, "10-webhooks-with-add");

        await page.ClickAsync("button:text-is('Add endpoint')");
        await page.WaitForURLAsync("**/portal/webhooks/new**");
        await page.FillAsync("#url", "ftp://example.com/nope");
        await page.ClickAsync("button:text-is('Add endpoint')");
        await page.WaitForSelectorAsync("#url-error");
        Assert.Multiple(async () =>
        {
            Assert.That(await page.TextContentAsync("#url-error"), Is.Not.Empty, "the url's message, next to it");
            Assert.That(await page.TextContentAsync("#event_types-error"), Is.Not.Empty, "the event types' message, next to them");
            Assert.That(await ScrollsSidewaysAsync(page), Is.False, "readable at 375 px");
        });
        await ShotAsync(page, "11-add-refused");

        // By keyboard: type the URL, tick a type with Space, submit with Enter.
        await page.FillAsync("#url", receiver.Url.ToString());
        await page.FocusAsync("input[name=event_types][value='sync.completed']");
        await page.Keyboard.PressAsync("Space");
        await page.FillAsync("#description", "Orders");
        await page.FocusAsync("button:text-is('Add endpoint')");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/portal/webhooks/[0-9a-f-]{36}$"));
        var added = page.Url.Split('/').Last();
        Assert.That(await page.TextContentAsync("main"), Does.Contain(receiver.Url.ToString()).And.Contain("Orders"));
        await ShotAsync(page, "12-added");

        await page.ClickAsync("nav >> text=Event types");
        await page.WaitForURLAsync("**/portal/event-types");
        var section = page.Locator("#type-sync\\.completed");
        await section.Locator("select[name=webhookId]").SelectOptionAsync(new SelectOptionValue { Value = added });
        await section.Locator("button:text-is('Send example event')").ClickAsync();
        Assert.That(await page.TextContentAsync("[role=status]"), Does.Contain("An example sync.completed event"));
        Assert.That(await ScrollsSidewaysAsync(page), Is.False, "the catalog is readable at 375 px");
        await ShotAsync(page, "13-example-sent");
        var received = (await receiver.WaitForAsync(1)).Single();
        using (var envelope = JsonDocument.Parse(received.Body))
        {
            Assert.That(envelope.RootElement.GetProperty("type").GetString(), Is.EqualTo("sync.completed"));
        }

        await page.GotoAsync(new Uri(Host.BaseAddress, $"/portal/webhooks/{added}").ToString());
        await Eventually.HoldsAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.Locator("tbody tr a").CountAsync() == 1 && (await page.TextContentAsync("tbody"))!.Contains("succeeded", StringComparison.Ordinal);
        }, "the example's delivery shows as succeeded");
        await page.Locator("tbody tr a").First.ClickAsync();
        await page.WaitForURLAsync("**/deliveries/**");
        Assert.That(await page.TextContentAsync("#cause"), Does.Contain("a test or example event"));
        await ShotAsync(page, "14-example-delivered-with-its-cause");

        await page.GotoAsync(new Uri(Host.BaseAddress, $"/portal/webhooks/{added}").ToString());
        await page.ClickAsync("button:text-is('Edit')");
        await page.WaitForURLAsync("**/edit**");
        await page.FillAsync("#description", "Orders, v2");
        await page.ClickAsync("input[name=event_types][value='pattern.detected']");
        await ShotAsync(page, "15-edit");
        await page.ClickAsync("button:text-is('Save changes')");
        await page.WaitForURLAsync($"**/portal/webhooks/{added}");
        Assert.That(await page.TextContentAsync("main"), Does.Contain("Orders, v2").And.Contain("pattern.detected"));
        await ShotAsync(page, "16-edited");

        await page.ClickAsync("button:text-is('Delete')");
        await page.WaitForURLAsync("**/delete**");
        Assert.That(await page.TextContentAsync("h1"), Is.EqualTo("Delete this endpoint?"));
        await ShotAsync(page, "17-delete-confirmation");
        await page.FocusAsync("button:text-is('Delete')");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/portal/webhooks");
        Assert.Multiple(async () =>
        {
            Assert.That(await page.TextContentAsync("main"), Does.Not.Contain(receiver.Url.ToString()).And.Contain("https://example.com/existing"));
            Assert.That((await tenant.Http.GetAsync($"/v1/webhooks/{added}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
        await ShotAsync(page, "18-deleted");
    }

    [Test]
    public async Task A_connector_page_shows_what_each_event_caused_and_a_delivery_leads_back_to_it()
    {
        var source = await SignedSource.CreateAsync(Host);
        await using var receiver = await Receiver.StartAsync();
        var (webhookId, _) = await source.Tenant.SubscribeAsync(receiver, """["issue.ingested"]""");
        var accepted = await SignedSource.AcceptedAsync(await source.SendAsync(Host.Client(),
            """{"issue":{"key":"CL-12","title":"Checkout times out","labels":["payments","p1"]},"actor":"ana"}""", eventId: "jira-12"));
        await source.Tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        var link = (await (await source.Tenant.Http.PostJsonAsync("/v1/portal/sessions", "{}")).OkAsync(HttpStatusCode.Created))["url"]!.GetValue<string>();

        await using var context = await PhoneAsync();
        var page = await context.NewPageAsync();
        await OpenLinkAsync(page, link);
        await page.ClickAsync("nav >> text=Connectors");
        await page.ClickAsync("h2 a:text-is('Jira')");
        await page.WaitForURLAsync($"**/portal/connectors/{source.ConnectorId}");
        var card = page.Locator($"#event-{accepted.Id()}");
        Assert.Multiple(async () =>
        {
            Assert.That(await card.Locator("pre.body").TextContentAsync(), Does.Contain("\"key\": \"CL-12\""));
            Assert.That(await card.TextContentAsync(), Does.Contain("jira-12").And.Contain("issue.ingested").And.Contain("succeeded"));
            Assert.That(await ScrollsSidewaysAsync(page), Is.False, "readable at 375 px");
        });
        await ShotAsync(page, "19-connector");

        await card.Locator("table.caused a").First.ClickAsync();
        await page.WaitForURLAsync("**/deliveries/**");
        Assert.That(await page.TextContentAsync("#cause"), Does.Contain("received from a connector"));
        await ShotAsync(page, "20-delivery-cause");
        await page.ClickAsync("#cause a");
        // The link itself is what is checked: a page that jumps to an anchor need not fire its load event again (a CI run
        // waited 30 s for it), so this waits for the navigation to commit.
        await page.WaitForURLAsync($"**/portal/connectors/{source.ConnectorId}#event-{accepted.Id()}", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.WaitForSelectorAsync($"#event-{accepted.Id()}", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached }); // the event it came from
    }
}
