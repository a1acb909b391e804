using System.Net;
using System.Net.Http.Headers;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Portal;

/// <summary>§12's sessions: a one-time link token in the fragment, exchanged once for an HttpOnly SameSite=Strict cookie; only hashes stored.</summary>
public sealed class PortalSessionTests : ApiTest
{
    [Test]
    public async Task A_session_link_carries_its_token_in_the_fragment_and_works_once()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", """{"capabilities":["manage"],"expires_in":600}""")).OkAsync(HttpStatusCode.Created);
        var url = new Uri(created["url"]!.GetValue<string>());
        var token = Uri.UnescapeDataString(url.Fragment["#token=".Length..]);
        Assert.Multiple(async () =>
        {
            Assert.That(url.AbsolutePath, Is.EqualTo("/portal"));
            Assert.That(url.Query, Is.Empty, "the token is never in the request line");
            Assert.That(created["expires_at"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow.AddSeconds(600)).Within(TimeSpan.FromSeconds(30)));
            Assert.That(await Host.ScalarAsync<long>("select count(*) from portal_sessions where token_hash = sha256(convert_to(@token, 'UTF8'))", new { token }), Is.EqualTo(1),
                "only the token's hash is stored");
            Assert.That(await Host.ScalarAsync<long>("select count(*) from portal_sessions where encode(token_hash, 'escape') like '%' || @token || '%'", new { token }), Is.Zero);
        });

        using var browser = Host.Client();
        var exchanged = await ExchangeAsync(browser, token);
        Assert.That(exchanged.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), string.Join("\n", Host.Logs.Entries));
        var cookie = exchanged.Headers.GetValues("Set-Cookie").Single();
        Assert.Multiple(() =>
        {
            Assert.That(cookie, Does.StartWith("causeloop_portal="));
            Assert.That(cookie.ToLowerInvariant(), Does.Contain("httponly").And.Contain("samesite=strict").And.Contain("path=/portal"));
            Assert.That(cookie, Does.Not.Contain(token));
        });

        var again = await ExchangeAsync(browser, token);
        await again.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Without_configured_proxies_forwarded_headers_are_ignored_even_from_loopback()
    {
        var tenant = await Host.NewTenantAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/portal/sessions") { Content = Support.Json.Body("{}") };
        request.Headers.Add("X-Forwarded-Proto", "https");
        var created = await (await tenant.Http.SendAsync(request)).OkAsync(HttpStatusCode.Created);
        using var browser = Host.Client();
        var exchanged = await PortalBrowser.ExchangeWithHeadersAsync(browser, created, ("X-Forwarded-Proto", "https"));
        Assert.Multiple(() =>
        {
            Assert.That(created["url"]!.GetValue<string>(), Does.StartWith("http://127.0.0.1:"), "ASP.NET Core's default trust of loopback proxies is not used");
            Assert.That(exchanged.Headers.GetValues("Set-Cookie").Single().ToLowerInvariant(), Does.Not.Contain("secure"));
        });
    }

    [Test]
    public async Task A_revoked_or_expired_session_opens_nothing()
    {
        var tenant = await Host.NewTenantAsync();
        var revoked = await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", "{}")).OkAsync(HttpStatusCode.Created);
        var expired = await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", "{}")).OkAsync(HttpStatusCode.Created);
        Assert.That((await tenant.Http.DeleteAsync($"/v1/portal/sessions/{revoked.Id()}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await Host.ExecuteAsync("update portal_sessions set expires_at = now() - interval '1 second' where id = @id", new { id = Guid.Parse(expired.Id()) });
        using var browser = Host.Client();
        foreach (var session in new[] { revoked, expired })
        {
            var token = Uri.UnescapeDataString(new Uri(session["url"]!.GetValue<string>()).Fragment["#token=".Length..]);
            await (await ExchangeAsync(browser, token)).ProblemAsync(HttpStatusCode.Unauthorized);
        }

        var stranger = await Host.NewTenantAsync();
        await (await stranger.Http.DeleteAsync($"/v1/portal/sessions/{expired.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [TestCase("""{"capabilities":["admin"]}""", "capabilities")]
    [TestCase("""{"expires_in":299}""", "expires_in")]
    [TestCase("""{"expires_in":604801}""", "expires_in")]
    [TestCase("""{"webhook_ids":[]}""", "webhook_ids")]
    public async Task Bad_session_requests_are_400(string body, string field)
    {
        var tenant = await Host.NewTenantAsync();
        var problem = await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
    }

    [Test]
    public async Task A_session_for_another_workspace_s_webhook_is_404_and_needs_webhooks_admin()
    {
        var owner = await Host.NewTenantAsync();
        var webhook = await owner.Http.CreateOutboundAsync();
        var stranger = await Host.NewTenantAsync();
        await (await stranger.Http.PostJsonAsync("/v1/portal/sessions", $$"""{"webhook_ids":["{{webhook.Id()}}"]}""")).ProblemAsync(HttpStatusCode.NotFound);
        var reader = await Host.NewTenantAsync(Causeloop.Domain.Access.Scope.WebhooksRead);
        await (await reader.Http.PostJsonAsync("/v1/portal/sessions", "{}")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task The_landing_page_holds_no_inline_script_and_sends_the_security_headers()
    {
        using var browser = Host.Client();
        var page = await browser.GetAsync("/portal");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'self'").And.Contain("frame-ancestors 'none'"));
            Assert.That(page.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
            Assert.That(html, Does.Contain("<script src=\"/portal/portal.js\"></script>"));
            Assert.That(html, Does.Not.Match("<script>"), "no inline script (the CSP would block it)");
            Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), "no asset from another origin");
        });
    }

    private static async Task<HttpResponseMessage> ExchangeAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/portal/exchange") { Content = Support.Json.Body(new { token }) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await client.SendAsync(request);
    }
}
