using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Causeloop.Api.Tests.Egress;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Docs;

/// <summary>
/// docs/receiving.md's examples of §17, run as written against real deliveries: the OAuth 2.0 token endpoint and
/// receiver, the openssl commands with the mTLS receiver, and the tinyproxy configuration.
/// </summary>
public sealed partial class EgressExamplesTests : ApiTest
{
    private static readonly string Receiving = File.ReadAllText(Path.Combine(ServiceProcess.RepositoryRoot, "docs", "receiving.md"));

    [Test]
    public async Task The_oauth2_example_issues_a_token_that_real_deliveries_carry_and_refuses_a_request_without_one()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await tenant.Http.CreateOutboundAsync("http://127.0.0.1:9/webhooks");
        const string clientSecret = "docs-example-secret";
        var (receiver, port) = await ExampleProcess.StartOnFreePortAsync("python3", "docs/examples/receive_oauth2.py", new Dictionary<string, string?>
        {
            ["CLIENT_ID"] = "causeloop",
            ["CLIENT_SECRET"] = clientSecret,
            ["CAUSELOOP_SIGNING_SECRET"] = created["signing_secret"]!.GetValue<string>(),
        }, port => PatchAsync(tenant, created.Id(), $$"""
            {"url":"http://127.0.0.1:{{port}}/webhooks",
             "auth":{"type":"oauth2_client_credentials","token_url":"http://127.0.0.1:{{port}}/oauth/token","client_id":"causeloop","client_secret":"{{clientSecret}}"} }
            """));
        await using var _ = receiver;

        var first = await tenant.PublishAsync();
        var second = await tenant.PublishAsync();
        await Eventually.HoldsAsync(async () => (await tenant.DeliveriesAsync(created.Id(), "?status=succeeded")).Count == 2, "both deliveries succeeded");
        using var stranger = new HttpClient();
        var unauthenticated = await stranger.PostAsync($"http://127.0.0.1:{port}/webhooks", new StringContent("{}"));
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Lines, Does.Contain($"verified {first}").And.Contain($"verified {second}"));
            Assert.That(receiver.Lines.Count(l => l == "token issued"), Is.EqualTo(1), "one token for both");
            Assert.That(unauthenticated.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task The_openssl_commands_make_certificates_the_mtls_example_and_the_service_accept()
    {
        var directory = Directory.CreateTempSubdirectory("causeloop-mtls-doc-").FullName;
        try
        {
            var made = await ServiceProcess.RunProgramAsync("bash", new Dictionary<string, string?>(), "-c", $"cd '{directory}' && set -e\n{Block("mtls-certificates")}");
            Assert.That(made.ExitCode, Is.Zero, made.StandardError);
            await using var service = await ExtraService.StartAsync(new Dictionary<string, string?>
            {
                ["Causeloop:Outbound:ExtraRootCertificates"] = Path.Combine(directory, "ca.pem"),
            });
            var tenant = await service.Host.NewTenantAsync();
            var created = await tenant.Http.CreateOutboundAsync("https://127.0.0.1:9/webhooks");
            var (receiver, port) = await ExampleProcess.StartOnFreePortAsync("python3", "docs/examples/receive_mtls.py", new Dictionary<string, string?>
            {
                ["SERVER_CERT"] = Path.Combine(directory, "server.pem"),
                ["SERVER_KEY"] = Path.Combine(directory, "server.key"),
                ["CLIENT_CA"] = Path.Combine(directory, "ca.pem"),
            }, port => PatchAsync(tenant, created.Id(), JsonSerializer.Serialize(new
            {
                url = $"https://127.0.0.1:{port}/webhooks",
                auth = new
                {
                    type = "mtls",
                    certificate_pem = File.ReadAllText(Path.Combine(directory, "client.pem")),
                    private_key_pem = File.ReadAllText(Path.Combine(directory, "client.key")),
                },
            })));
            await using var _ = receiver;

            var eventId = await tenant.PublishAsync();
            await tenant.WaitForDeliveryAsync(created.Id(), "succeeded");
            var withoutCertificate = await ServiceProcess.RunProgramAsync("curl", new Dictionary<string, string?>(),
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", Path.Combine(directory, "ca.pem"), "-d", "{}", $"https://127.0.0.1:{port}/webhooks");
            Assert.Multiple(() =>
            {
                Assert.That(receiver.Lines, Does.Contain($"verified {eventId} from causeloop"));
                Assert.That(withoutCertificate.StandardOutput, Is.EqualTo("000"), "no client certificate, no connection");
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task The_tinyproxy_configuration_carries_real_deliveries()
    {
        var port = FreePort.Next();
        await using var proxy = await Tinyproxy.StartAsync(port, Block("tinyproxy.conf").Replace("8888", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await using var service = await ExtraService.StartAsync(new Dictionary<string, string?> { ["Causeloop:Outbound:Proxy"] = proxy.Url.ToString() });
        await using var receiver = await Receiver.StartAsync();
        var tenant = await service.Host.NewTenantAsync();
        var webhookId = (await tenant.Http.CreateOutboundAsync(receiver.Url.ToString())).Id();
        await tenant.PublishAsync();
        await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        Assert.That(proxy.Connects, Does.Contain($"127.0.0.1:{receiver.Url.Port}"));
    }

    /// <summary>The code block that follows <c>&lt;!-- test: name --&gt;</c> in docs/receiving.md.</summary>
    private static string Block(string name)
    {
        var match = Regex.Match(Receiving, $"<!-- test: {Regex.Escape(name)} -->\\n```[a-z]*\\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.That(match.Success, Is.True, $"docs/receiving.md has the {name} block");
        return match.Groups["code"].Value;
    }

    private static async Task PatchAsync(Tenant tenant, string webhookId, string json) =>
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", json)).OkAsync();
}
