using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Api.Tests.Egress;

/// <summary>
/// SPEC §17 <c>oauth2_client_credentials</c> against a real token endpoint and a receiver that takes only its tokens (real
/// Kestrel, <see cref="OAuthServer"/>): both client authentication methods, scope and audience, one token shared by the
/// webhook's attempts and reused until 60 s before it expires (on a fake clock), one fresh token on a 401, and a failing
/// token endpoint as the attempt's error. Every log level is on, so that no secret can hide in a debug line.
/// </summary>
public sealed class OAuth2EndpointTests : ApiTest
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        ["Logging:LogLevel:Polly"] = "Trace",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Test]
    public async Task Deliveries_carry_one_shared_bearer_token_fetched_with_basic_authentication_scope_and_audience()
    {
        await using var server = await OAuthServer.StartAsync();
        var (tenant, answers) = await NewTenantAsync();
        var created = await CreateAsync(tenant, server, ""","scope":"webhooks:write","audience":"https://receiver.example" """);
        var webhookId = created.Id();

        // Three events at once: their attempts run side by side and share one fetch.
        foreach (var n in Enumerable.Range(1, 3))
        {
            await tenant.PublishAsync(data: $$"""{"n":{{n}}}""");
        }

        await Eventually.HoldsAsync(async () => (await tenant.DeliveriesAsync(webhookId, "?status=succeeded")).Count == 3, "three deliveries succeeded");
        var token = server.TokenRequests.Single();
        var basic = Encoding.UTF8.GetString(Convert.FromBase64String(token.Authorization!["Basic ".Length..]));
        Assert.Multiple(() =>
        {
            Assert.That(token.Authorization, Does.StartWith("Basic "));
            Assert.That(basic, Is.EqualTo(WebUtility.UrlEncode(server.ClientId) + ":" + WebUtility.UrlEncode(server.ClientSecret)), "RFC 6749 §2.3.1: each part form-encoded");
            Assert.That(token.Form, Is.EquivalentTo(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["scope"] = "webhooks:write", ["audience"] = "https://receiver.example",
            }));
            Assert.That(server.Deliveries.Select(d => d.Header("authorization")), Is.All.EqualTo("Bearer " + server.Issued.Single()));
            Assert.That(created["auth"]!.ToJsonString(), Is.EqualTo(
                $$"""{"type":"oauth2_client_credentials","token_url":"{{server.TokenUrl}}","client_id":"{{server.ClientId}}","scope":"webhooks:write","audience":"https://receiver.example","token_endpoint_auth_method":"client_secret_basic"}"""));
        });
        await AssertNothingLeakedAsync(tenant, answers, webhookId, server);
    }

    [Test]
    public async Task Client_secret_post_sends_the_credentials_in_the_form_and_no_authorization_header()
    {
        await using var server = await OAuthServer.StartAsync();
        var (tenant, answers) = await NewTenantAsync();
        var webhookId = (await CreateAsync(tenant, server, ""","token_endpoint_auth_method":"client_secret_post" """)).Id();
        await tenant.PublishAsync();
        await tenant.WaitForDeliveryAsync(webhookId, "succeeded");

        var token = server.TokenRequests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(token.Authorization, Is.Null);
            Assert.That(token.Form, Is.EquivalentTo(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = server.ClientId, ["client_secret"] = server.ClientSecret,
            }));
        });
        await AssertNothingLeakedAsync(tenant, answers, webhookId, server);
    }

    [Test]
    public async Task A_401_gets_one_fresh_token_and_the_same_attempt_is_sent_again()
    {
        await using var server = await OAuthServer.StartAsync();
        var (tenant, answers) = await NewTenantAsync();
        var webhookId = (await CreateAsync(tenant, server)).Id();
        await tenant.PublishAsync();
        await tenant.WaitForDeliveryAsync(webhookId, "succeeded");

        // The customer rotates its keys: the cached token is refused from now on.
        server.RevokeAll();
        var eventId = await tenant.PublishAsync();
        await Eventually.HoldsAsync(async () => (await tenant.DeliveriesAsync(webhookId, "?status=succeeded")).Count == 2, "the second delivery succeeded");

        var delivery = (await tenant.DeliveriesAsync(webhookId)).Single(d => d!["event_id"]!.GetValue<string>() == eventId)!;
        var detail = await tenant.DeliveryAsync(webhookId, delivery!.Id());
        var sent = server.Deliveries.Where(d => d.Header("webhook-id") == eventId).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(detail["attempts"]!.AsArray(), Has.Count.EqualTo(1), "the refused token does not cost an attempt");
            Assert.That(detail["attempts"]![0]!["status_code"]!.GetValue<int>(), Is.EqualTo(204));
            Assert.That(server.TokenRequests, Has.Count.EqualTo(2));
            Assert.That(sent.Select(d => d.Header("authorization")), Is.EqualTo(server.Issued.Select(t => "Bearer " + t)));
            Assert.That(sent.Select(d => d.Header("x-causeloop-attempt")), Is.All.EqualTo("1"));
            Assert.That(sent[1].Body, Is.EqualTo(sent[0].Body));
            Assert.That(sent[1].Header("webhook-signature"), Is.EqualTo(sent[0].Header("webhook-signature")));
        });
        await AssertNothingLeakedAsync(tenant, answers, webhookId, server);
    }

    [Test]
    public async Task An_endpoint_that_refuses_the_fresh_token_too_fails_the_attempt_with_its_401()
    {
        await using var server = await OAuthServer.StartAsync();
        var (tenant, answers) = await NewTenantAsync();
        var webhookId = (await CreateAsync(tenant, server)).Id();
        server.RefuseEveryToken = true;
        await tenant.PublishAsync();

        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "failed");
        Assert.Multiple(() =>
        {
            Assert.That(delivery["attempts"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(delivery["attempts"]![0]!["status_code"]!.GetValue<int>(), Is.EqualTo(401));
            Assert.That(server.TokenRequests, Has.Count.EqualTo(2), "one fresh token, not more");
            Assert.That(server.Deliveries, Has.Count.EqualTo(2));
        });
        await AssertNothingLeakedAsync(tenant, answers, webhookId, server);
    }

    [Test]
    public async Task A_token_is_reused_until_60_seconds_before_it_expires()
    {
        await using var server = await OAuthServer.StartAsync();
        server.ExpiresIn = 3600;
        var (tenant, answers) = await NewTenantAsync();
        var webhookId = (await CreateAsync(tenant, server)).Id();

        await DeliverAsync(tenant, webhookId, 1);
        _clock.Advance(TimeSpan.FromSeconds(3600 - 61));
        await DeliverAsync(tenant, webhookId, 2);
        Assert.That(server.TokenRequests, Has.Count.EqualTo(1), "61 s before it expires, the token is still used");

        _clock.Advance(TimeSpan.FromSeconds(2));
        await DeliverAsync(tenant, webhookId, 3);
        Assert.Multiple(() =>
        {
            Assert.That(server.TokenRequests, Has.Count.EqualTo(2), "59 s before it expires, a new one is fetched");
            Assert.That(server.Deliveries.Select(d => d.Header("authorization")),
                Is.EqualTo(new[] { server.Issued[0], server.Issued[0], server.Issued[1] }.Select(t => "Bearer " + t)));
        });
        await AssertNothingLeakedAsync(tenant, answers, webhookId, server);
    }

    [Test]
    public async Task A_failing_token_endpoint_is_the_attempts_error_and_the_endpoint_is_not_called()
    {
        await using var server = await OAuthServer.StartAsync();
        var (tenant, answers) = await NewTenantAsync();
        // A token endpoint that echoes what it was sent: its words are kept, the secret is not.
        server.TokenAnswer = (400, $$"""{"error":"invalid_client","error_description":"unknown client secret {{server.ClientSecret}}"}""");
        var refused = (await CreateAsync(tenant, server)).Id();
        await tenant.PublishAsync();
        var delivery = await tenant.WaitForDeliveryAsync(refused, "failed");
        var attempt = delivery["attempts"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(attempt["error"]!.GetValue<string>(), Is.EqualTo("token endpoint: HTTP 400 invalid_client: unknown client secret ***"));
            Assert.That(attempt["status_code"], Is.Null);
            Assert.That(server.Deliveries, Is.Empty);
        });

        // Nothing listens at the token URL.
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/oauth/token");
        var unreachable = (await tenant.Http.CreateAsync($$"""
            {"url":"{{server.Url}}","event_types":["sync.completed"],
             "auth":{"type":"oauth2_client_credentials","token_url":"{{closed}}","client_id":"c","client_secret":"{{server.ClientSecret}}"} }
            """)).Id();
        await tenant.PublishAsync();
        var second = await tenant.WaitForDeliveryAsync(unreachable, "failed");
        Assert.That(second["attempts"]![0]!["error"]!.GetValue<string>(), Does.StartWith("token endpoint: could not connect: "));
        await AssertNothingLeakedAsync(tenant, answers, refused, server);
    }

    [Test]
    public async Task Auth_is_replaced_by_patch_and_removed_by_null()
    {
        await using var server = await OAuthServer.StartAsync();
        var (tenant, answers) = await NewTenantAsync();
        var webhookId = (await tenant.Http.CreateOutboundAsync(server.Url.ToString())).Id();

        var patched = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", $$"""
            {"auth":{"client_secret":"{{server.ClientSecret}}","client_id":"{{server.ClientId}}","token_url":"{{server.TokenUrl}}","type":"oauth2_client_credentials"} }
            """)).OkAsync();
        Assert.That(patched["auth"]!["client_id"]!.GetValue<string>(), Is.EqualTo(server.ClientId), "type may come last");
        await tenant.PublishAsync();
        await tenant.WaitForDeliveryAsync(webhookId, "succeeded");

        var removed = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"auth":null}""")).OkAsync();
        Assert.That(removed["auth"], Is.Null);
        await tenant.PublishAsync();
        await Eventually.HoldsAsync(async () => (await tenant.DeliveriesAsync(webhookId, "?status=failed")).Count == 1, "the delivery without a token was refused");
        Assert.That(server.Deliveries[^1].Headers.ContainsKey("authorization"), Is.False);
        await AssertNothingLeakedAsync(tenant, answers, webhookId, server);
    }

    [TestCase("""{"type":"oauth2_client_credentials","client_id":"c","client_secret":"s"}""", "token_url")]
    [TestCase("""{"type":"oauth2_client_credentials","token_url":"ftp://a/t","client_id":"c","client_secret":"s"}""", "token_url")]
    [TestCase("""{"type":"oauth2_client_credentials","token_url":"https://a/t","client_secret":"s"}""", "client_id is required")]
    [TestCase("""{"type":"oauth2_client_credentials","token_url":"https://a/t","client_id":"c"}""", "client_secret is required")]
    [TestCase("""{"type":"oauth2_client_credentials","token_url":"https://a/t","client_id":"c","client_secret":"s","token_endpoint_auth_method":"private_key_jwt"}""", "token_endpoint_auth_method")]
    [TestCase("""{"token_url":"https://a/t","client_id":"c","client_secret":"s"}""", "type is required")]
    [TestCase("""{"type":"basic","username":"u"}""", "")]
    [TestCase("""{"type":"oauth2_client_credentials","token_url":"https://a/t","client_id":"c","client_secret":"s","private_key_pem":"k"}""", "")]
    [TestCase("\"oauth2\"", "")]
    public async Task Bad_auth_is_a_400_naming_auth_and_stores_nothing(string auth, string says)
    {
        var (tenant, _) = await NewTenantAsync();
        var body = $$"""{"url":"https://example.com/h","event_types":["*"],"auth":{{auth}}}""";
        var problem = await (await tenant.Http.PostJsonAsync("/v1/webhooks", body)).ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(e => e.Key), Has.Some.StartsWith("auth"), problem.ToJsonString());
            Assert.That(errors.First(e => e.Key.StartsWith("auth", StringComparison.Ordinal)).Value!.ToJsonString(), Does.Contain(says));
        });
        var list = await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();
        Assert.That(list["data"]!.AsArray(), Is.Empty);

        // The same through PATCH.
        var webhookId = (await tenant.Http.CreateOutboundAsync()).Id();
        var patch = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", $$"""{"auth":{{auth}}}""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(patch["errors"]!.AsObject().Select(e => e.Key), Has.Some.StartsWith("auth"), patch.ToJsonString());
    }

    [Test]
    public async Task An_inbound_webhook_takes_no_auth_or_headers()
    {
        var (tenant, _) = await NewTenantAsync();
        var connector = await (await tenant.Http.PostJsonAsync("/v1/connectors", """{"name":"j","kind":"custom"}""")).OkAsync(HttpStatusCode.Created);
        var auth = """{"type":"oauth2_client_credentials","token_url":"https://a/t","client_id":"c","client_secret":"s"}""";
        var create = await (await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"connector_id":"{{connector.Id()}}","auth":{{auth}},"headers":{"X-A":"1"} }"""))
            .ProblemAsync(HttpStatusCode.BadRequest);
        var inbound = await (await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"connector_id":"{{connector.Id()}}"}""")).OkAsync(HttpStatusCode.Created);
        var patch = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{inbound.Id()}", $$"""{"auth":{{auth}}}""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(create["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "auth", "headers" }));
            Assert.That(patch["errors"]!["auth"], Is.Not.Null);
            Assert.That(inbound["auth"], Is.Null);
            Assert.That(inbound["headers"], Is.Null);
        });
    }

    private static async Task DeliverAsync(Tenant tenant, string webhookId, int count)
    {
        await tenant.PublishAsync();
        await Eventually.HoldsAsync(async () => (await tenant.DeliveriesAsync(webhookId, "?status=succeeded")).Count == count, $"{count} deliveries succeeded");
    }

    private static Task<JsonNode> CreateAsync(Tenant tenant, OAuthServer server, string more = "") =>
        tenant.Http.CreateAsync($$"""
            {"url":"{{server.Url}}","event_types":["*"],
             "auth":{"type":"oauth2_client_credentials","token_url":"{{server.TokenUrl}}","client_id":"{{server.ClientId}}","client_secret":"{{server.ClientSecret}}"{{more}} } }
            """);

    /// <summary>A tenant whose client keeps every answer it receives (<see cref="AnswerLog"/>).</summary>
    private async Task<(Tenant Tenant, AnswerLog Answers)> NewTenantAsync()
    {
        var tenant = await Host.NewTenantAsync();
        var answers = new AnswerLog();
        var http = new HttpClient(answers.Handler()) { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        return (tenant with { Http = http }, answers);
    }

    /// <summary>The client secret and every token issued: in no answer the tenant received (its whole API view of the webhook included), and in no log line at any level.</summary>
    private async Task AssertNothingLeakedAsync(Tenant tenant, AnswerLog answers, string webhookId, OAuthServer server)
    {
        await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}");
        await tenant.Http.GetAsync("/v1/webhooks");
        foreach (var delivery in await tenant.DeliveriesAsync(webhookId))
        {
            await tenant.DeliveryAsync(webhookId, delivery!.Id());
        }

        string[] secrets = [server.ClientSecret, WebUtility.UrlEncode(server.ClientSecret), .. server.Issued];
        Assert.Multiple(() =>
        {
            foreach (var secret in secrets)
            {
                Assert.That(answers.Bodies.Where(b => b.Contains(secret, StringComparison.Ordinal)), Is.Empty, "an answer carries a secret");
                Assert.That(Host.Logs.All.Where(l => l.Message.Contains(secret, StringComparison.Ordinal)).Select(l => l.ToString()), Is.Empty, "a log line carries a secret");
            }

            Assert.That(Host.Logs.All.Count(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Trace), Is.GreaterThan(0), "trace logging is on");
        });
    }
}
