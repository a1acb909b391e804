using System.Net;
using Causeloop.Api.Tests.Egress;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// SPEC §17 in the portal: a webhook's authentication and headers are shown without their secrets to any session, and
/// changed only by a session with manage and secrets, through the same command as the API.
/// </summary>
public sealed class PortalEndpointTests : ApiTest, IDisposable
{
    private const string ClientSecret = "portal-client-secret-9f8e7d";
    private const string HeaderValue = "header-value-1a2b3c";
    private readonly TestCertificates _ca = new();

    [Test]
    public async Task A_session_with_manage_and_secrets_changes_auth_and_headers_and_never_sees_a_secret()
    {
        var tenant = await Host.NewTenantAsync();
        var webhookId = (await tenant.Http.CreateAsync($$"""
            {"url":"https://example.com/hooks","event_types":["*"],"headers":{"X-Tenant":"{{HeaderValue}}"},
             "auth":{"type":"oauth2_client_credentials","token_url":"https://auth.example.com/token","client_id":"portal-client","client_secret":"{{ClientSecret}}","scope":"hooks"} }
            """)).Id();
        var browser = await PortalBrowser.OpenAsync(Host, tenant, """{"capabilities":["manage","secrets"]}""");
        var url = $"/portal/webhooks/{webhookId}/endpoint";

        var summary = await browser.GetStringAsync($"/portal/webhooks/{webhookId}");
        var page = await browser.GetStringAsync(url);
        Assert.Multiple(() =>
        {
            Assert.That(summary, Does.Contain("OAuth 2.0 client credentials").And.Contain("X-Tenant").And.Contain(url));
            Assert.That(page, Does.Contain("https://auth.example.com/token").And.Contain("portal-client").And.Contain("hooks").And.Contain("***"));
            Assert.That(page, Does.Contain(">Use OAuth 2.0</button>").And.Contain(">Use client certificate</button>")
                .And.Contain(">Remove authentication</button>").And.Contain(">Save headers</button>"));
        });

        var (certificate, key, subject) = _ca.Client("portal-client-certificate");
        var certificatePage = await Html(await PortalBrowser.PostFormAsync(browser, $"{url}?handler=Certificate", page,
            F("certificatePem", certificate), F("privateKeyPem", key)));
        var headersPage = await Html(await PortalBrowser.PostFormAsync(browser, $"{url}?handler=Headers", page, F("headers", "X-One: 1\r\nX-Two: two words\r\n")));
        var afterHeaders = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}")).OkAsync();
        var removedPage = await Html(await PortalBrowser.PostFormAsync(browser, $"{url}?handler=RemoveAuth", page));
        var oauthPage = await Html(await PortalBrowser.PostFormAsync(browser, $"{url}?handler=OAuth2", page,
            F("tokenUrl", "https://idp.example.com/oauth/token"), F("clientId", "again"), F("clientSecret", ClientSecret), F("scope", ""),
            F("audience", ""), F("method", "client_secret_post")));
        var clearedPage = await Html(await PortalBrowser.PostFormAsync(browser, $"{url}?handler=Headers", page, F("headers", "")));
        var after = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}")).OkAsync();
        var keyBody = key.Split('\n')[1];
        Assert.Multiple(() =>
        {
            Assert.That(certificatePage, Does.Contain(subject).And.Contain("Deliveries now present this client certificate."));
            Assert.That(headersPage, Does.Contain("X-One").And.Contain("X-Two").And.Not.Contain("X-Tenant"));
            Assert.That(afterHeaders["auth"]!["type"]!.GetValue<string>(), Is.EqualTo("mtls"));
            Assert.That(afterHeaders["headers"]!.ToJsonString(), Is.EqualTo("""{"X-One":"***","X-Two":"***"}"""));
            Assert.That(removedPage, Does.Contain("Authentication removed.").And.Contain("None: requests carry"));
            Assert.That(oauthPage, Does.Contain("https://idp.example.com/oauth/token").And.Contain("client_secret_post"));
            Assert.That(clearedPage, Does.Contain("Headers removed."));
            Assert.That(after["auth"]!["client_id"]!.GetValue<string>(), Is.EqualTo("again"));
            Assert.That(after["auth"]!["scope"], Is.Null, "an empty optional field is no field");
            Assert.That(after["headers"], Is.Null);
            foreach (var shown in new[] { summary, page, certificatePage, headersPage, removedPage, oauthPage, clearedPage })
            {
                Assert.That(shown, Does.Not.Contain(ClientSecret).And.Not.Contain(HeaderValue).And.Not.Contain(keyBody).And.Not.Contain("two words"));
            }
        });
    }

    [Test]
    public async Task A_refused_change_shows_why_and_changes_nothing()
    {
        var tenant = await Host.NewTenantAsync();
        var webhookId = (await tenant.Http.CreateAsync("""{"url":"http://example.com/hooks","event_types":["*"],"headers":{"X-Keep":"1"}}""")).Id();
        var browser = await PortalBrowser.OpenAsync(Host, tenant, """{"capabilities":["manage","secrets"]}""");
        var url = $"/portal/webhooks/{webhookId}/endpoint";
        var page = await browser.GetStringAsync(url);
        var (certificate, key, _) = _ca.Client("needs-https");

        var host = await PortalBrowser.PostFormAsync(browser, $"{url}?handler=Headers", page, F("headers", "Host: internal.example"));
        var malformed = await PortalBrowser.PostFormAsync(browser, $"{url}?handler=Headers", page, F("headers", "no colon here"));
        var http = await PortalBrowser.PostFormAsync(browser, $"{url}?handler=Certificate", page, F("certificatePem", certificate), F("privateKeyPem", key));
        var after = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}")).OkAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(host.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Html(host), Does.Contain("The header Host cannot be set"));
            Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Html(malformed), Does.Contain("Each line must be Name: value"));
            Assert.That(http.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Html(http), Does.Contain("mtls needs an https url"));
            Assert.That(after["headers"]!.ToJsonString(), Is.EqualTo("""{"X-Keep":"***"}"""));
            Assert.That(after["auth"], Is.Null);
        });
    }

    [TestCase("manage")]
    [TestCase("secrets")]
    [TestCase("read")]
    public async Task Without_both_manage_and_secrets_a_session_sees_the_settings_but_cannot_change_them(string capability)
    {
        var tenant = await Host.NewTenantAsync();
        var webhookId = (await tenant.Http.CreateAsync($$"""
            {"url":"https://example.com/hooks","event_types":["*"],"headers":{"X-Tenant":"{{HeaderValue}}"},
             "auth":{"type":"oauth2_client_credentials","token_url":"https://auth.example.com/token","client_id":"portal-client","client_secret":"{{ClientSecret}}"} }
            """)).Id();
        var browser = await PortalBrowser.OpenAsync(Host, tenant, $$"""{"capabilities":["{{capability}}"]}""");
        var url = $"/portal/webhooks/{webhookId}/endpoint";
        var page = await browser.GetStringAsync(url);
        var reference = await browser.GetStringAsync($"/portal/webhooks/{webhookId}");
        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("portal-client").And.Contain("X-Tenant"), "the settings are shown");
            Assert.That(page, Does.Not.Contain(ClientSecret).And.Not.Contain(HeaderValue));
            foreach (var label in new[] { "Use OAuth 2.0", "Use client certificate", "Remove authentication", "Save headers" })
            {
                Assert.That(page, Does.Not.Contain($">{label}</button>"), label);
            }
        });

        // The forms are not there; a forged post (with a valid anti-forgery token from another form) is refused all the same.
        var withToken = reference.Contains("__RequestVerificationToken", StringComparison.Ordinal) ? reference : null;
        if (withToken is not null)
        {
            var removed = await PortalBrowser.PostFormAsync(browser, $"{url}?handler=RemoveAuth", withToken);
            var headers = await PortalBrowser.PostFormAsync(browser, $"{url}?handler=Headers", withToken, F("headers", "X-Mine: 1"));
            Assert.Multiple(() =>
            {
                Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
                Assert.That(headers.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            });
        }

        var after = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}")).OkAsync();
        Assert.That(after["auth"]!["client_id"]!.GetValue<string>(), Is.EqualTo("portal-client"), "nothing changed");
    }

    public void Dispose() => _ca.Dispose();

    private static KeyValuePair<string, string> F(string name, string value) => new(name, value);

    private static async Task<string> Html(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
}
