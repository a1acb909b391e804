using System.Net;
using System.Text;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Causeloop.Api.Tests.Egress;

/// <summary>SPEC §17 <c>headers</c>: sent on every attempt, answered masked, stored encrypted, replaced or removed by PATCH.</summary>
public sealed class EndpointHeadersTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.100",
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
    };

    [Test]
    public async Task Static_headers_go_out_on_every_attempt_are_answered_masked_and_stored_encrypted()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, n) => Task.FromResult(n == 0 ? Results.StatusCode(503) : Results.NoContent());
        var tenant = await Host.NewTenantAsync();
        const string apiKey = "k_live_5f1d8a0c2e";
        var created = await tenant.Http.CreateAsync($$"""
            {"url":"{{receiver.Url}}","event_types":["*"],"headers":{"X-Tenant":"acme","X-Api-Key":"{{apiKey}}","Authorization":"Basic dXNlcjpwdw=="} }
            """);
        var webhookId = created.Id();
        await tenant.PublishAsync();
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");

        var fetched = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}")).OkAsync();
        var listed = await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();
        var stored = await Host.QueryAsync<(byte[] Headers, string[] Names)>(
            "select headers, header_names from webhooks where id = @id", new { id = Guid.Parse(webhookId) });
        Assert.Multiple(() =>
        {
            Assert.That(delivery["attempts"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(receiver.Received.Select(r => r.Header("x-api-key")), Is.EqualTo(new[] { apiKey, apiKey }), "on every attempt");
            Assert.That(receiver.Received.Select(r => r.Header("x-tenant")), Is.All.EqualTo("acme"));
            Assert.That(receiver.Received.Select(r => r.Header("authorization")), Is.All.EqualTo("Basic dXNlcjpwdw=="), "a static authorization, with no auth");
            Assert.That(receiver.Received.Select(r => r.Header("x-causeloop-signature")), Has.All.Length.EqualTo(64), "Causeloop's own headers stay");
            foreach (var answer in new[] { created, fetched, listed["data"]![0]! })
            {
                Assert.That(answer["headers"]!.ToJsonString(), Is.EqualTo("""{"X-Tenant":"***","X-Api-Key":"***","Authorization":"***"}"""));
            }

            Assert.That(stored.Single().Names, Is.EqualTo(new[] { "X-Tenant", "X-Api-Key", "Authorization" }));
            Assert.That(Encoding.UTF8.GetString(stored.Single().Headers), Does.Not.Contain(apiKey).And.Not.Contain("acme"), "encrypted at rest");
            Assert.That(Host.Logs.All.Where(l => l.Message.Contains(apiKey, StringComparison.Ordinal)).Select(l => l.ToString()), Is.Empty, "never logged, at any level");
        });
    }

    [Test]
    public async Task Patch_replaces_the_headers_whole_and_null_removes_them()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var webhookId = (await tenant.Http.CreateAsync($$"""{"url":"{{receiver.Url}}","event_types":["*"],"headers":{"X-Old":"1"} }""")).Id();

        var replaced = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"headers":{"X-New":"2"}}""")).OkAsync();
        await tenant.PublishAsync();
        await receiver.WaitForAsync(1);
        var removed = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"headers":null}""")).OkAsync();
        await tenant.PublishAsync();
        await receiver.WaitForAsync(2);
        var untouched = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"description":"x"}""")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(replaced["headers"]!.ToJsonString(), Is.EqualTo("""{"X-New":"***"}"""));
            Assert.That(receiver.Received[0].Headers.ContainsKey("x-old"), Is.False);
            Assert.That(receiver.Received[0].Header("x-new"), Is.EqualTo("2"));
            Assert.That(removed["headers"], Is.Null);
            Assert.That(receiver.Received[1].Headers.ContainsKey("x-new"), Is.False);
            Assert.That(untouched["headers"], Is.Null);
        });
    }

    [Test]
    public async Task Rotating_the_secret_and_disabling_keep_the_headers_and_the_auth()
    {
        var tenant = await Host.NewTenantAsync();
        var webhookId = (await tenant.Http.CreateAsync("""
            {"url":"https://example.com/h","event_types":["*"],"headers":{"X-Keep":"1"},
             "auth":{"type":"oauth2_client_credentials","token_url":"https://auth.example.com/t","client_id":"c","client_secret":"s"}}
            """)).Id();
        var rotated = await (await tenant.Http.PostAsync($"/v1/webhooks/{webhookId}/rotate-secret", null)).OkAsync();
        var disabled = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"enabled":false,"url":"https://example.com/moved"}""")).OkAsync();
        var stored = await Host.QueryAsync<(byte[]? Headers, byte[]? Secret)>(
            "select headers, auth_secret from webhooks where id = @id", new { id = Guid.Parse(webhookId) });
        Assert.Multiple(() =>
        {
            foreach (var answer in new[] { rotated, disabled })
            {
                Assert.That(answer["headers"]!.ToJsonString(), Is.EqualTo("""{"X-Keep":"***"}"""));
                Assert.That(answer["auth"]!["client_id"]!.GetValue<string>(), Is.EqualTo("c"));
            }

            Assert.That(stored.Single().Headers, Is.Not.Null);
            Assert.That(stored.Single().Secret, Is.Not.Null);
        });
    }

    [TestCase("""{"Content-Type":"text/plain"}""")]
    [TestCase("""{"x-causeloop-signature":"00"}""")]
    [TestCase("""{"Webhook-Id":"msg_1"}""")]
    [TestCase("""{"User-Agent":"me"}""")]
    [TestCase("""{"Host":"internal.example"}""")]
    [TestCase("""{"Transfer-Encoding":"chunked"}""")]
    [TestCase("""{"Connection":"close"}""")]
    [TestCase("""{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}""")]
    [TestCase("""{"X-Bad":"a\r\nX-Injected: 1"}""")]
    [TestCase("""{"X Bad":"a"}""")]
    [TestCase("""{"X-A":"1","x-a":"2"}""")]
    [TestCase("""{"X-A":null}""")]
    [TestCase("""{"X-A":1}""")]
    [TestCase("""["X-A"]""")]
    public async Task Headers_that_cannot_be_sent_are_a_400_naming_headers(string headers)
    {
        var tenant = await Host.NewTenantAsync();
        var create = await (await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"url":"https://example.com/h","event_types":["*"],"headers":{{headers}} }"""))
            .ProblemAsync(HttpStatusCode.BadRequest);
        var webhookId = (await tenant.Http.CreateOutboundAsync()).Id();
        var patch = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", $$"""{"headers":{{headers}} }""")).ProblemAsync(HttpStatusCode.BadRequest);
        var unchanged = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(create["errors"]!.AsObject().Select(e => e.Key), Has.Some.StartsWith("headers"), create.ToJsonString());
            Assert.That(patch["errors"]!.AsObject().Select(e => e.Key), Has.Some.StartsWith("headers"), patch.ToJsonString());
            Assert.That(unchanged["headers"], Is.Null);
        });
    }

    [Test]
    public async Task Twenty_headers_are_taken_and_twenty_one_refused()
    {
        var tenant = await Host.NewTenantAsync();
        string Headers(int count) => "{" + string.Join(',', Enumerable.Range(1, count).Select(i => $"\"X-H{i}\":\"{i}\"")) + "}";
        var twenty = await tenant.Http.CreateAsync($$"""{"url":"https://example.com/h","event_types":["*"],"headers":{{Headers(20)}} }""");
        var more = await (await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"url":"https://example.com/h","event_types":["*"],"headers":{{Headers(21)}} }"""))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(twenty["headers"]!.AsObject(), Has.Count.EqualTo(20));
            Assert.That(more["errors"]!["headers"]![0]!.GetValue<string>(), Does.Contain("At most 20"));
        });
    }

    [Test]
    public async Task A_static_authorization_header_and_auth_exclude_each_other()
    {
        var tenant = await Host.NewTenantAsync();
        const string auth = """{"type":"oauth2_client_credentials","token_url":"https://auth.example.com/t","client_id":"c","client_secret":"s"}""";
        var both = await (await tenant.Http.PostJsonAsync("/v1/webhooks",
            $$"""{"url":"https://example.com/h","event_types":["*"],"headers":{"authorization":"Bearer x"},"auth":{{auth}} }""")).ProblemAsync(HttpStatusCode.BadRequest);

        var withHeader = (await tenant.Http.CreateAsync("""{"url":"https://example.com/h","event_types":["*"],"headers":{"Authorization":"Bearer x"}}""")).Id();
        var addAuth = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{withHeader}", $$"""{"auth":{{auth}} }""")).ProblemAsync(HttpStatusCode.BadRequest);
        var swap = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{withHeader}", $$"""{"auth":{{auth}},"headers":{"X-Other":"1"} }""")).OkAsync();
        var addHeader = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{withHeader}", """{"headers":{"authorization":"Bearer y"}}""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(both["errors"]!["headers"]![0]!.GetValue<string>(), Does.Contain("while the webhook has auth"));
            Assert.That(addAuth["errors"]!["headers"]![0]!.GetValue<string>(), Does.Contain("while the webhook has auth"));
            Assert.That(swap["auth"]!["type"]!.GetValue<string>(), Is.EqualTo("oauth2_client_credentials"), "both changed in one request");
            Assert.That(addHeader["errors"]!["headers"]![0]!.GetValue<string>(), Does.Contain("while the webhook has auth"));
        });
    }
}
