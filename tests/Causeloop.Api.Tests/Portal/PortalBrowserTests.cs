using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// The portal as a customer uses it, in headless Chromium (Debian's package, driven by Microsoft.Playwright; no browser
/// download). Each page is saved as a screenshot to the test results.
/// </summary>
[NonParallelizable]
public sealed class PortalBrowserTests : BrowserTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.100",
        ["Causeloop:Delivery:RetryDelays:1"] = "00:00:00.100",
    };

    [Test]
    public async Task A_customer_finds_a_failed_delivery_sees_why_fixes_the_endpoint_and_redelivers_and_recovers()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        var broken = true;
        receiver.Respond = (_, _) => Task.FromResult(broken ? Results.Text("database is down", statusCode: 500) : Results.NoContent());
        var mine = await tenant.Http.CreateOutboundAsync(receiver.Url.ToString(), """["sync.completed"]""");
        var other = await tenant.Http.CreateOutboundAsync("https://example.com/someone-else", """["sync.completed"]""");
        for (var i = 0; i < 2; i++)
        {
            await (await tenant.Http.PostJsonAsync("/v1/events", $$$"""{"type":"sync.completed","data":{"invoice":{{{i}}}}}""")).OkAsync(HttpStatusCode.Accepted);
        }

        await Eventually.HoldsAsync(async () => await Host.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id and status = 'dead'", new { id = Guid.Parse(mine.Id()) }) == 2,
            "both deliveries died");
        var link = (await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", $$"""{"webhook_ids":["{{mine.Id()}}"],"capabilities":["manage"]}""")).OkAsync(HttpStatusCode.Created))["url"]!.GetValue<string>();

        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 375, Height = 800 } });
        var page = await context.NewPageAsync();
        await OpenLinkAsync(page, link);
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "causeloop_portal");
        Assert.Multiple(async () =>
        {
            Assert.That(page.Url, Does.Not.Contain("#").And.Not.Contain("token"), "the fragment is gone from the address bar");
            Assert.That(cookie.HttpOnly, Is.True);
            Assert.That(cookie.SameSite, Is.EqualTo(SameSiteAttribute.Strict));
            Assert.That(await page.TextContentAsync("main"), Does.Contain(receiver.Url.ToString()).And.Not.Contain("someone-else"));
        });
        await ShotAsync(page, "1-webhooks");

        await page.ClickAsync($"a[href='/portal/webhooks/{mine.Id()}']");
        await page.SelectOptionAsync("select[name=status]", "dead");
        // Waiting for the filtered page's own content, not for its load event: waited for after the click, the load event
        // was sometimes never seen (a 30 s timeout in one run of three, with the page long since shown).
        await Task.WhenAll(
            page.WaitForURLAsync("**status=dead**", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit }),
            page.ClickAsync("button:text-is('Filter')"));
        await page.WaitForSelectorAsync("select[name=status] option[value=dead][selected]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        Assert.That(await page.Locator("tbody tr").CountAsync(), Is.EqualTo(2));
        await ShotAsync(page, "2-webhook-dead-deliveries");

        await page.Locator("tbody tr a").First.ClickAsync();
        await page.WaitForURLAsync("**/deliveries/**");
        Assert.Multiple(async () =>
        {
            Assert.That(await page.TextContentAsync("main"), Does.Contain("500").And.Contain("database is down"));
            Assert.That(await page.TextContentAsync("#body"), Does.Contain("\"invoice\""));
        });
        await ShotAsync(page, "3-failed-delivery");

        broken = false;
        await page.ClickAsync("button:text-is('Redeliver')");
        await page.WaitForURLAsync("**/deliveries/**");
        await Eventually.HoldsAsync(async () =>
        {
            await page.ReloadAsync();
            return (await page.TextContentAsync("main"))!.Contains("succeeded", StringComparison.Ordinal);
        }, "the redelivery's attempt succeeded, as the page shows");
        await ShotAsync(page, "4-redelivered");

        await page.GotoAsync(new Uri(Host.BaseAddress, $"/portal/webhooks/{mine.Id()}").ToString());
        await page.ClickAsync("button:text-is('Send test event')");
        Assert.That(await page.TextContentAsync("[role=status]"), Does.Contain("test event"));
        await page.FillAsync("input[name=since]", DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm"));
        await page.ClickAsync("button:text-is('Recover')");
        Assert.That(await page.TextContentAsync("[role=status]"), Does.Contain("1 dead delivery will be sent again"), "the other dead delivery; the redelivered one succeeded");
        await ShotAsync(page, "5-recovered");

        var foreign = await page.GotoAsync(new Uri(Host.BaseAddress, $"/portal/webhooks/{other.Id()}").ToString());
        Assert.That(foreign!.Status, Is.EqualTo(404), "a webhook outside the session");
        await ShotAsync(page, "5b-not-found");

        // Reusing the link: it worked once.
        await using var elsewhere = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 375, Height = 800 } });
        var second = await elsewhere.NewPageAsync();
        await second.GotoAsync(link);
        await second.WaitForSelectorAsync("text=no longer valid");
        await ShotAsync(second, "6-link-reused");
        var ended = await second.GotoAsync(new Uri(Host.BaseAddress, "/portal/webhooks").ToString());
        Assert.That(ended!.Status, Is.EqualTo(401), "no session in this browser");
        await ShotAsync(second, "6b-session-ended");
    }

    [Test]
    public async Task A_read_session_has_no_buttons_refuses_a_forged_post_and_is_logged_out_when_revoked()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = await tenant.Http.CreateOutboundAsync();
        var stranger = await Host.NewTenantAsync();
        await using var elsewhere = await Receiver.StartAsync();
        var foreignWebhook = await stranger.Http.CreateOutboundAsync(elsewhere.Url.ToString(), """["sync.completed"]""");
        await (await stranger.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{}}""")).OkAsync(HttpStatusCode.Accepted);
        await elsewhere.WaitForAsync(1);
        var foreignDelivery = await Host.ScalarAsync<Guid>("select id from deliveries where webhook_id = @id", new { id = Guid.Parse(foreignWebhook.Id()) });

        var created = await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", "{}")).OkAsync(HttpStatusCode.Created);
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await OpenLinkAsync(page, created["url"]!.GetValue<string>());
        await page.GotoAsync(new Uri(Host.BaseAddress, $"/portal/webhooks/{webhook.Id()}").ToString());
        Assert.That(await page.Locator("form[method=post] button").CountAsync(), Is.Zero, "a read session shows no action");
        await ShotAsync(page, "7-read-only");

        var forged = await page.APIRequest.PostAsync(new Uri(Host.BaseAddress, $"/portal/webhooks/{webhook.Id()}?handler=Disable").ToString(),
            new APIRequestContextOptions { Form = context.APIRequest.CreateFormData() });
        Assert.That(forged.Status, Is.AnyOf(400, 403), "a forged POST is refused");
        Assert.That((await tenant.Http.GetAsync($"/v1/webhooks/{webhook.Id()}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var cross = await page.GotoAsync(new Uri(Host.BaseAddress, $"/portal/webhooks/{foreignWebhook.Id()}/deliveries/{foreignDelivery}").ToString());
        Assert.That(cross!.Status, Is.EqualTo(404), "another workspace's delivery");

        await tenant.Http.DeleteAsync($"/v1/portal/sessions/{created.Id()}");
        await page.GotoAsync(new Uri(Host.BaseAddress, "/portal/webhooks").ToString());
        await page.WaitForSelectorAsync("text=no longer valid");
        await ShotAsync(page, "8-revoked");
    }

    [Test]
    public async Task A_page_framed_by_another_origin_is_blocked_by_its_csp()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", "{}")).OkAsync(HttpStatusCode.Created);
        await using var evil = await Receiver.StartAsync();
        var portal = new Uri(Host.BaseAddress, "/portal/webhooks").ToString();
        evil.Respond = (_, _) => Task.FromResult(Results.Content($"<!doctype html><h1>elsewhere</h1><iframe id=f src=\"{portal}\"></iframe>", "text/html"));
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await OpenLinkAsync(page, created["url"]!.GetValue<string>());

        var blocked = new TaskCompletionSource<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("frame-ancestors", StringComparison.Ordinal))
            {
                blocked.TrySetResult(message.Text);
            }
        };
        await page.GotoAsync(evil.Url.ToString());
        var frame = page.Frames.FirstOrDefault(f => f != page.MainFrame);
        var message = await blocked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Multiple(async () =>
        {
            Assert.That(message, Does.Contain("frame-ancestors"));
            Assert.That(frame is null || !(await frame.ContentAsync()).Contains("Your webhooks", StringComparison.Ordinal), Is.True, "nothing of the portal shows in the frame");
        });
        await ShotAsync(page, "9-framed-elsewhere");
    }

    [Test]
    public async Task A_customer_sets_oauth2_on_the_endpoint_page_by_keyboard_at_375_pixels_and_never_sees_the_secret()
    {
        var tenant = await Host.NewTenantAsync();
        var mine = await tenant.Http.CreateOutboundAsync("https://example.com/hooks/endpoint");
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{mine.Id()}", """{"headers":{"X-Tenant":"acme-7f3e"}}""")).OkAsync();
        var link = (await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", """{"capabilities":["manage","secrets"]}""")).OkAsync(HttpStatusCode.Created))["url"]!.GetValue<string>();
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 375, Height = 800 } });
        var page = await context.NewPageAsync();
        await OpenLinkAsync(page, link);
        await page.GotoAsync(new Uri(Host.BaseAddress, $"/portal/webhooks/{mine.Id()}").ToString());
        await page.ClickAsync("a:text-is('Authentication and headers')");
        await page.WaitForURLAsync("**/endpoint");

        // By keyboard: focus the token URL, type, Tab through the form, Enter submits.
        await page.FocusAsync("input[name=tokenUrl]");
        await page.Keyboard.TypeAsync("https://idp.example.com/oauth/token");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("portal-browser");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("browser-secret-5e4d");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("p[role=status]");
        var text = await page.TextContentAsync("main");
        var html = await page.ContentAsync();
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("https://idp.example.com/oauth/token").And.Contain("portal-browser").And.Contain("X-Tenant"));
            Assert.That(html, Does.Not.Contain("browser-secret-5e4d").And.Not.Contain("acme-7f3e"), "neither secret is on the page");
            Assert.That(overflow, Is.LessThanOrEqualTo(0), "readable at 375 px without scrolling sideways");
        });
        await ShotAsync(page, "10-endpoint-authentication");
    }
}
