using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// The portal's fixed pages (the landing page and every refusal: 400, 401, 403, 404) are Razor pages in the same layout as
/// the others, whoever answered first (the cookie handler's challenge, a page, routing), with their status and the
/// portal's security headers.
/// </summary>
public sealed class PortalFixedPagesTests : ApiTest
{
    /// <summary>Only the layout writes this: a page with it was rendered in <c>_PortalLayout</c>.</summary>
    private const string Layout = "<nav class=\"nav\" aria-label=\"Portal\">";

    [Test]
    public async Task The_landing_page_and_every_refusal_are_rendered_in_the_portal_layout_with_their_status_and_headers()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = await tenant.Http.CreateOutboundAsync();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress };
        var browser = await PortalBrowser.OpenAsync(Host, tenant, """{"capabilities":["manage"]}""");
        var page = await browser.GetStringAsync($"/portal/webhooks/{webhook.Id()}");

        var answers = new (string What, HttpResponseMessage Response, HttpStatusCode Status, string Heading)[]
        {
            ("the landing page", await anonymous.GetAsync("/portal"), HttpStatusCode.OK, "Opening your delivery portal"),
            ("no cookie (the handler's challenge)", await anonymous.GetAsync("/portal/webhooks"), HttpStatusCode.Unauthorized, "This link or session is no longer valid"),
            ("a POST without a cookie", await anonymous.PostAsync($"/portal/webhooks/{webhook.Id()}?handler=Disable", new FormUrlEncodedContent([])),
                HttpStatusCode.Unauthorized, "This link or session is no longer valid"),
            ("a webhook outside the session", await browser.GetAsync($"/portal/webhooks/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "Not found"),
            ("an address that matches nothing", await browser.GetAsync("/portal/nothing-here"), HttpStatusCode.NotFound, "Not found"),
            ("the status page asked for directly", await browser.GetAsync("/portal/status"), HttpStatusCode.NotFound, "Not found"),
            ("an action the capabilities do not allow", await PortalBrowser.PostFormAsync(browser, $"/portal/webhooks/{webhook.Id()}?handler=Reveal", page),
                HttpStatusCode.Forbidden, "Not allowed"),
            ("a form without its anti-forgery token", await browser.PostAsync($"/portal/webhooks/{webhook.Id()}?handler=Disable", new FormUrlEncodedContent([])),
                HttpStatusCode.BadRequest, "That did not work"),
        };

        Assert.Multiple(async () =>
        {
            foreach (var (what, response, status, heading) in answers)
            {
                var html = await response.Content.ReadAsStringAsync();
                Assert.That(response.StatusCode, Is.EqualTo(status), what);
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"), what);
                Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'self'; frame-ancestors 'none'"), what);
                Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"), what);
                Assert.That(response.Headers.CacheControl?.NoStore, Is.True, what);
                Assert.That(html, Does.Contain(Layout).And.Contain("· Causeloop deliveries</title>"), what);
                Assert.That(html, Does.Contain($"<h1>{heading}"), what);
                Assert.That(html, Does.Not.Contain("<script>"), $"{what}: no inline script");
            }
        });
        Assert.That((await (await tenant.Http.GetAsync($"/v1/webhooks/{webhook.Id()}")).OkAsync())["enabled"]!.GetValue<bool>(), Is.True,
            "the refused POSTs changed nothing");
    }

    [Test]
    public async Task The_script_and_stylesheet_are_served_from_the_portal_itself()
    {
        using var anonymous = new HttpClient { BaseAddress = Host.BaseAddress };
        var script = await anonymous.GetAsync("/portal/portal.js");
        var stylesheet = await anonymous.GetAsync("/portal/portal.css");
        Assert.Multiple(async () =>
        {
            Assert.That(script.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(script.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/javascript; charset=utf-8"));
            Assert.That(await script.Content.ReadAsStringAsync(), Does.Contain("fetch(\"/portal/exchange\""));
            Assert.That(stylesheet.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(stylesheet.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/css; charset=utf-8"));
            Assert.That(await stylesheet.Content.ReadAsStringAsync(), Does.Contain("@media (max-width: 40rem)"));
        });
    }
}
