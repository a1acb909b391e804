using System.Net;
using Causeloop.Api.Hosting;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Portal;

/// <summary>Behind a configured reverse proxy (<c>Causeloop:ForwardedHeaders:KnownProxies</c>): its X-Forwarded-Proto and X-Forwarded-For are the client's view.</summary>
public sealed class PortalBehindProxyTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
    };

    [Test]
    public async Task Https_forwarded_by_a_known_proxy_makes_the_cookie_secure_and_the_link_https_and_its_client_address_is_logged()
    {
        var tenant = await Host.NewTenantAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/portal/sessions") { Content = Support.Json.Body("{}") };
        request.Headers.Add("X-Forwarded-Proto", "https");
        var created = await (await tenant.Http.SendAsync(request)).OkAsync(HttpStatusCode.Created);
        using var browser = Host.Client();
        var exchanged = await PortalBrowser.ExchangeWithHeadersAsync(browser, created, ("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.7"));

        var inbound = await SignedSource.CreateAsync(Host, tenant);
        using (var forged = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{inbound.ConnectorId}") { Content = Support.Json.Body("{}") })
        {
            forged.Headers.Add("x-causeloop-signature", new string('0', 64));
            forged.Headers.Add("X-Forwarded-For", "203.0.113.7");
            await (await browser.SendAsync(forged)).ProblemAsync(HttpStatusCode.Unauthorized);
        }

        await Eventually.HoldsAsync(async () =>
            (await (await tenant.Http.GetAsync($"/v1/connectors/{inbound.ConnectorId}/rejections")).OkAsync())["data"]!.AsArray().Count == 1, "the rejection is logged");
        var rejection = (await (await tenant.Http.GetAsync($"/v1/connectors/{inbound.ConnectorId}/rejections")).OkAsync())["data"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(created["url"]!.GetValue<string>(), Does.StartWith("https://"), "the link has the scheme the client used");
            Assert.That(exchanged.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(exchanged.Headers.GetValues("Set-Cookie").Single().ToLowerInvariant(), Does.Contain("; secure"));
            Assert.That(rejection["remote_address"]!.GetValue<string>(), Is.EqualTo("203.0.113.7"), "the client's address, not the proxy's");
        });
    }

    [TestCase("Causeloop:ForwardedHeaders:KnownProxies:0", "proxy.internal")]
    [TestCase("Causeloop:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33")]
    public void A_proxy_setting_that_is_not_an_address_stops_the_start_with_its_name(string key, string value)
    {
        var error = Assert.ThrowsAsync<StartupException>(() => ServiceHost.StartAsync(Host.ConnectionString, new Dictionary<string, string?> { [key] = value }));
        Assert.That(error!.Message, Does.Contain(key[..key.LastIndexOf(':')]).And.Contain(value));
    }
}
