using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Egress;

/// <summary>
/// SPEC §17 <c>Causeloop:Outbound:Proxy</c> with a real CONNECT proxy (tinyproxy): deliveries, token requests and mtls
/// connections all go through it, the proxy is asked for the address the SSRF guard vetted (never the name), and with the
/// guard on it is never asked for an internal one.
/// </summary>
public sealed class EgressProxyTests : ApiTest, IDisposable
{
    private readonly int _proxyPort = FreePort.Next();
    private readonly TestCertificates _ca = new();
    private readonly string _roots;
    private Tinyproxy _proxy = null!;

    public EgressProxyTests() => _roots = _ca.WriteAuthority();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Outbound:Proxy"] = $"http://127.0.0.1:{_proxyPort}",
        ["Causeloop:Outbound:ExtraRootCertificates"] = _roots,
    };

    [OneTimeSetUp]
    public async Task StartProxy() => _proxy = await Tinyproxy.StartAsync(_proxyPort);

    [OneTimeTearDown]
    public async Task StopProxy()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    [Test]
    public async Task A_delivery_goes_through_the_proxy_which_is_asked_for_the_vetted_address_not_the_name()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var url = $"http://localhost:{receiver.Url.Port}/hooks";
        var webhookId = (await tenant.Http.CreateOutboundAsync(url)).Id();
        await tenant.PublishAsync();
        await tenant.WaitForDeliveryAsync(webhookId, "succeeded");

        var asked = _proxy.Connects.Where(c => c.EndsWith($":{receiver.Url.Port}", StringComparison.Ordinal)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(asked, Does.Contain($"127.0.0.1:{receiver.Url.Port}"), string.Join('\n', _proxy.Lines));
            Assert.That(asked, Has.None.Contains("localhost"), "the proxy never resolves the name itself");
            Assert.That(receiver.Received, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Token_requests_and_mtls_connections_go_through_the_proxy_too()
    {
        await using var oauth = await OAuthServer.StartAsync();
        await using var tls = await TlsReceiver.StartAsync(_ca.Server("127.0.0.1"), _ca.Authority);
        var tenant = await Host.NewTenantAsync();
        var withToken = (await tenant.Http.CreateAsync($$"""
            {"url":"{{oauth.Url}}","event_types":["sync.completed"],
             "auth":{"type":"oauth2_client_credentials","token_url":"{{oauth.TokenUrl}}","client_id":"{{oauth.ClientId}}","client_secret":"{{oauth.ClientSecret}}"} }
            """)).Id();
        var (certificate, key, subject) = _ca.Client("through-the-proxy");
        var withCertificate = (await tenant.Http.CreateAsync($$"""
            {"url":"{{tls.Url}}","event_types":["sync.completed"],
             "auth":{"type":"mtls","certificate_pem":{{System.Text.Json.JsonSerializer.Serialize(certificate)}},"private_key_pem":{{System.Text.Json.JsonSerializer.Serialize(key)}}} }
            """)).Id();
        await tenant.PublishAsync();
        await tenant.WaitForDeliveryAsync(withToken, "succeeded");
        await tenant.WaitForDeliveryAsync(withCertificate, "succeeded");
        Assert.Multiple(() =>
        {
            // The token endpoint and the receiver share a port: two tunnels (one for the token, one for the delivery) or one kept alive.
            Assert.That(_proxy.Connects, Does.Contain($"127.0.0.1:{oauth.TokenUrl.Port}"));
            Assert.That(oauth.TokenRequests, Has.Count.EqualTo(1));
            Assert.That(_proxy.Connects, Does.Contain($"127.0.0.1:{tls.Url.Port}"));
            Assert.That(tls.ClientSubjects, Is.EqualTo(new[] { subject }), "TLS, with the client certificate, runs inside the tunnel");
        });
    }

    [Test]
    public async Task A_target_the_proxy_cannot_reach_is_the_attempts_error()
    {
        var tenant = await Host.NewTenantAsync();
        var closed = FreePort.Next();
        var webhookId = (await tenant.Http.CreateOutboundAsync($"http://127.0.0.1:{closed}/hooks")).Id();
        await tenant.PublishAsync();
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "failed");
        Assert.That(delivery["attempts"]![0]!["error"]!.GetValue<string>(), Does.Match("^could not connect: the egress proxy answered 5[0-9][0-9] to CONNECT$"));
    }

    [Test]
    public async Task With_the_guard_on_the_proxy_is_never_asked_for_an_internal_address()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var oauth = await OAuthServer.StartAsync();
        await using var tls = await TlsReceiver.StartAsync(_ca.Server("127.0.0.1"), _ca.Authority);
        await using var guarded = await ExtraService.StartAsync(new Dictionary<string, string?>
        {
            ["Causeloop:Outbound:AllowPrivateNetworks"] = "false",
            ["Causeloop:Outbound:Proxy"] = _proxy.Url.ToString(),
            ["Causeloop:Outbound:ExtraRootCertificates"] = _roots,
        });
        var tenant = await guarded.Host.NewTenantAsync();
        var (certificate, key, _) = _ca.Client("guarded");
        var plain = (await tenant.Http.CreateOutboundAsync($"http://localhost:{receiver.Url.Port}/hooks")).Id();
        var withToken = (await tenant.Http.CreateAsync($$"""
            {"url":"https://example.com/hooks","event_types":["*"],
             "auth":{"type":"oauth2_client_credentials","token_url":"{{oauth.TokenUrl}}","client_id":"c","client_secret":"s"} }
            """)).Id();
        var withCertificate = (await tenant.Http.CreateAsync($$"""
            {"url":"{{tls.Url}}","event_types":["*"],
             "auth":{"type":"mtls","certificate_pem":{{System.Text.Json.JsonSerializer.Serialize(certificate)}},"private_key_pem":{{System.Text.Json.JsonSerializer.Serialize(key)}}} }
            """)).Id();
        await tenant.PublishAsync();

        var errors = new List<string>();
        foreach (var webhookId in new[] { plain, withToken, withCertificate })
        {
            var delivery = await tenant.WaitForDeliveryAsync(webhookId, "failed");
            errors.Add(delivery["attempts"]![0]!["error"]!.GetValue<string>());
        }

        int[] ports = [receiver.Url.Port, oauth.TokenUrl.Port, tls.Url.Port];
        Assert.Multiple(() =>
        {
            Assert.That(errors, Is.EqualTo(new[]
            {
                "refused: the address is not public", "token endpoint: refused: the address is not public", "refused: the address is not public",
            }));
            Assert.That(_proxy.Connects.Where(c => ports.Any(p => c.EndsWith($":{p}", StringComparison.Ordinal))), Is.Empty, "the proxy was never asked");
            Assert.That(receiver.Received, Is.Empty);
            Assert.That(oauth.TokenRequests, Is.Empty);
            Assert.That(tls.ClientSubjects, Is.Empty);
        });
    }

    [Test]
    public async Task A_proxy_that_cannot_be_reached_is_the_attempts_error_and_names_no_address()
    {
        await using var receiver = await Receiver.StartAsync();
        var closed = FreePort.Next();
        await using var isolated = await ExtraService.StartAsync(new Dictionary<string, string?> { ["Causeloop:Outbound:Proxy"] = $"http://127.0.0.1:{closed}" });
        var tenant = await isolated.Host.NewTenantAsync();
        var webhookId = (await tenant.Http.CreateOutboundAsync(receiver.Url.ToString())).Id();
        await tenant.PublishAsync();
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "failed");
        Assert.Multiple(() =>
        {
            Assert.That(delivery["attempts"]![0]!["error"]!.GetValue<string>(), Is.EqualTo("could not connect: the egress proxy cannot be reached"));
            Assert.That(receiver.Received, Is.Empty, "never around the proxy");
        });
    }

    public void Dispose()
    {
        _ca.Dispose();
        File.Delete(_roots);
    }
}
