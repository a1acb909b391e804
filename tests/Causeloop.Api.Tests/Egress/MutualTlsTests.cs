using System.Net;
using System.Text;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Egress;

/// <summary>
/// SPEC §17 <c>mtls</c> and <c>ExtraRootCertificates</c>, against an https receiver on real Kestrel that requires a client
/// certificate from a throwaway CA made in-process; the service trusts that CA only through the extra roots setting.
/// </summary>
public sealed class MutualTlsTests : ApiTest, IDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly string _roots;

    public MutualTlsTests() => _roots = _ca.WriteAuthority();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Outbound:ExtraRootCertificates"] = _roots,
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
    };

    [Test]
    public async Task The_client_certificate_is_presented_to_an_endpoint_whose_certificate_is_verified_against_the_extra_roots()
    {
        await using var receiver = await TlsReceiver.StartAsync(_ca.Server("127.0.0.1"), _ca.Authority);
        var tenant = await Host.NewTenantAsync();
        var (certificate, key, subject) = _ca.Client("causeloop-client");
        var created = await CreateMtlsAsync(tenant, receiver.Url, certificate, key);
        var webhookId = created.Id();
        await tenant.PublishAsync();
        await tenant.WaitForDeliveryAsync(webhookId, "succeeded");

        var fetched = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}")).OkAsync();
        var stored = await Host.ScalarAsync<byte[]>("select auth_secret from webhooks where id = @id", new { id = Guid.Parse(webhookId) });
        var keyBody = key.Split('\n')[1];
        Assert.Multiple(() =>
        {
            Assert.That(receiver.ClientSubjects, Is.EqualTo(new[] { subject }));
            Assert.That(fetched["auth"]!["type"]!.GetValue<string>(), Is.EqualTo("mtls"));
            Assert.That(fetched["auth"]!["certificate_pem"]!.GetValue<string>(), Is.EqualTo(certificate));
            Assert.That(fetched["auth"]!["certificate_subject"]!.GetValue<string>(), Is.EqualTo(subject));
            Assert.That(fetched["auth"]!["certificate_expires_at"]!.GetValue<DateTime>(), Is.GreaterThan(DateTime.UtcNow.AddDays(29)));
            foreach (var answer in new[] { created, fetched })
            {
                Assert.That(answer.ToJsonString(), Does.Not.Contain("PRIVATE KEY").And.Not.Contain(keyBody), "the key is never answered");
            }

            Assert.That(Encoding.UTF8.GetString(stored), Does.Not.Contain(keyBody), "the key is stored encrypted");
            Assert.That(Host.Logs.All.Where(l => l.Message.Contains(keyBody, StringComparison.Ordinal)), Is.Empty, "the key is never logged");
        });
    }

    [Test]
    public async Task Without_a_client_certificate_the_endpoint_refuses_the_connection()
    {
        await using var receiver = await TlsReceiver.StartAsync(_ca.Server("127.0.0.1"), _ca.Authority);
        var tenant = await Host.NewTenantAsync();
        var webhookId = (await tenant.Http.CreateOutboundAsync(receiver.Url.ToString())).Id();
        await tenant.PublishAsync();
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "failed");
        Assert.Multiple(() =>
        {
            Assert.That(delivery["attempts"]![0]!["status_code"], Is.Null);
            Assert.That(receiver.ClientSubjects, Is.Empty);
        });
    }

    [Test]
    public async Task An_endpoint_certificate_of_an_unknown_authority_or_for_another_name_is_refused()
    {
        using var stranger = new TestCertificates("Unknown CA");
        await using var unknown = await TlsReceiver.StartAsync(stranger.Server("127.0.0.1"), null);
        await using var misnamed = await TlsReceiver.StartAsync(_ca.Server("receiver.example"), null);
        await using var trusted = await TlsReceiver.StartAsync(_ca.Server("127.0.0.1"), null);
        var tenant = await Host.NewTenantAsync();
        var (certificate, key, _) = _ca.Client("causeloop-client");

        var errors = new List<string>();
        foreach (var receiver in new[] { unknown, misnamed })
        {
            var webhookId = (await CreateMtlsAsync(tenant, receiver.Url, certificate, key, "[\"sync.completed\"]")).Id();
            await tenant.PublishAsync();
            var delivery = await tenant.WaitForDeliveryAsync(webhookId, "failed");
            errors.Add(delivery["attempts"]![0]!["error"]!.GetValue<string>());
        }

        // The same CA's certificate for the right name is trusted, with or without a client certificate asked for.
        var plain = (await tenant.Http.CreateOutboundAsync(trusted.Url.ToString(), "[\"issue.ingested\"]")).Id();
        await tenant.PublishAsync("issue.ingested");
        await tenant.WaitForDeliveryAsync(plain, "succeeded");
        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.All.StartsWith("TLS handshake failed"));
            Assert.That(unknown.ClientSubjects, Is.Empty);
            Assert.That(misnamed.ClientSubjects, Is.Empty);
        });
    }

    [Test]
    public async Task A_new_certificate_is_presented_from_the_next_attempt_on()
    {
        await using var receiver = await TlsReceiver.StartAsync(_ca.Server("127.0.0.1"), _ca.Authority);
        var tenant = await Host.NewTenantAsync();
        var (first, firstKey, firstSubject) = _ca.Client("first");
        var (second, secondKey, secondSubject) = _ca.Client("second");
        var webhookId = (await CreateMtlsAsync(tenant, receiver.Url, first, firstKey)).Id();
        await tenant.PublishAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.ClientSubjects.Count == 1), "the first delivery arrived");

        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", Auth(second, secondKey))).OkAsync();
        await tenant.PublishAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.ClientSubjects.Count == 2), "the second delivery arrived");
        Assert.That(receiver.ClientSubjects, Is.EqualTo(new[] { firstSubject, secondSubject }));
    }

    [Test]
    public async Task An_mtls_webhook_needs_an_https_url()
    {
        var tenant = await Host.NewTenantAsync();
        var (certificate, key, _) = _ca.Client("client");
        var http = await (await tenant.Http.PostJsonAsync("/v1/webhooks",
            $$"""{"url":"http://example.com/h","event_types":["*"],{{Auth(certificate, key)[1..]}}""")).ProblemAsync(HttpStatusCode.BadRequest);
        var webhookId = (await CreateMtlsAsync(tenant, new Uri("https://example.com/h"), certificate, key)).Id();
        var moved = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"url":"http://example.com/h"}""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(http["errors"]!["auth"]![0]!.GetValue<string>(), Does.Contain("https"));
            Assert.That(moved["errors"]!["url"]![0]!.GetValue<string>(), Does.Contain("https"));
        });
    }

    public void Dispose()
    {
        _ca.Dispose();
        File.Delete(_roots);
    }

    private static Task<System.Text.Json.Nodes.JsonNode> CreateMtlsAsync(Tenant tenant, Uri url, string certificate, string key, string eventTypes = "[\"*\"]") =>
        tenant.Http.CreateAsync($$"""{"url":"{{url}}","event_types":{{eventTypes}},{{Auth(certificate, key)[1..]}}""");

    /// <summary><c>{"auth":{"type":"mtls",…}}</c> with the PEMs JSON-escaped.</summary>
    private static string Auth(string certificate, string key) =>
        $$$"""{"auth":{"type":"mtls","certificate_pem":{{{System.Text.Json.JsonSerializer.Serialize(certificate)}}},"private_key_pem":{{{System.Text.Json.JsonSerializer.Serialize(key)}}}}}""";
}
