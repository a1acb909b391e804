using System.Net;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// With an https <c>Causeloop:PublicBaseUrl</c> the portal cookie is Secure whatever the connection; a proxy network that does
/// not hold the sender (<c>KnownNetworks</c> 10.0.0.0/8, requests from 127.0.0.1) has its forwarded headers ignored.
/// </summary>
public sealed class PortalHttpsBaseUrlTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:PublicBaseUrl"] = "https://deliveries.example.com",
        ["Causeloop:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8",
    };

    [Test]
    public async Task An_https_public_base_url_makes_the_cookie_secure_and_an_unknown_sender_s_forwarded_address_is_ignored()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", "{}")).OkAsync(HttpStatusCode.Created);
        using var browser = Host.Client();
        var exchanged = await PortalBrowser.ExchangeWithHeadersAsync(browser, created);

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
            Assert.That(created["url"]!.GetValue<string>(), Does.StartWith("https://deliveries.example.com/portal#token="));
            Assert.That(exchanged.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(exchanged.Headers.GetValues("Set-Cookie").Single().ToLowerInvariant(), Does.Contain("; secure"), "served over http here, but public over https");
            Assert.That(rejection["remote_address"]!.GetValue<string>(), Is.EqualTo("127.0.0.1"), "127.0.0.1 is not in a known network: its X-Forwarded-For is not believed");
        });
    }
}
