using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using static Causeloop.Api.Tests.Inbound.ProviderSource;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// Every connector kind against the running service, with requests signed by the provider's own library where one
/// exists on npm (docs/examples/providers/sign.mjs): accepted, deduplicated on the provider's id, its source stored;
/// tampered, wrong-secret, stale, future and unsigned requests all get the identical 401, and the connector's rejection
/// log says why. Rotation, whose overlap needs a clock the test can move, is in <see cref="ProviderRotationTests"/>.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ProviderInboundTests : ApiTest
{
    [TestCaseSource(typeof(ProviderSource), nameof(ProviderSource.Schemes))]
    public async Task A_request_signed_as_the_provider_signs_is_accepted_and_every_forgery_gets_the_same_401(ProviderSource.Scheme scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        var tenant = await Host.NewTenantAsync();
        var imported = scheme.Imported ? Secret(scheme.Kind) : null;
        var (connectorId, webhook) = await tenant.Http.CreateInboundConnectorAsync(scheme.Kind, imported);
        var secret = webhook.SigningSecret();
        if (imported is not null)
        {
            Assert.That(secret, Is.EqualTo(imported), "the imported secret is the one in use");
        }

        using var source = Host.Client();
        var body = Body(scheme.Kind);
        var deliveryId = "dlv-" + Guid.NewGuid().ToString("N")[..12];
        var headers = await SignAsync(scheme.Script, secret, body, id: deliveryId);

        // Accepted, then deduplicated on the provider's own id.
        var accepted = await (await SendAsync(source, connectorId, body, headers)).OkAsync(HttpStatusCode.Accepted);
        var repeated = await (await SendAsync(source, connectorId, body, headers)).OkAsync(HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(repeated["duplicate"]!.GetValue<bool>(), Is.True);
            Assert.That(repeated.Id(), Is.EqualTo(accepted.Id()));
        });

        var events = await (await tenant.Http.GetAsync($"/v1/connectors/{connectorId}/events")).OkAsync();
        var stored = events["data"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(stored["source"]!["kind"]!.GetValue<string>(), Is.EqualTo(scheme.Kind));
            Assert.That(stored["source"]!["event_type"]?.GetValue<string>(), Is.EqualTo(scheme.EventType));
            Assert.That(stored["source"]!["delivery_id"]?.GetValue<string>(), Is.EqualTo(DedupeId(scheme.Kind, body, deliveryId)));
        });

        // Every forgery: the same 401.
        var unauthorized = new List<HttpResponseMessage>
        {
            await SendAsync(source, connectorId, body, await SignAsync(scheme.Script, Secret(scheme.Kind), body)),
            await SendAsync(source, connectorId, body, new Dictionary<string, string>()),
        };

        // GitLab's plain token does not sign the body (its signing tokens do): nothing to tamper with there.
        var signsBody = scheme.Script != "gitlab";
        if (signsBody)
        {
            unauthorized.Add(await SendAsync(source, connectorId, Tamper(body), headers));
        }

        var reasons = new List<string> { "signature_mismatch", "missing_signature" };
        if (scheme.Timestamped)
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var skew in new[] { -400, 400 })
            {
                var at = now.AddSeconds(skew);
                var skewed = scheme.Kind == "linear" ? Body(scheme.Kind, at) : body;
                unauthorized.Add(await SendAsync(source, connectorId, skewed, await SignAsync(scheme.Script, secret, skewed, at.ToUnixTimeSeconds())));
            }

            reasons.Add("stale_timestamp");
        }

        var texts = new List<string>();
        foreach (var response in unauthorized)
        {
            await response.ProblemAsync(HttpStatusCode.Unauthorized);
            texts.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.That(texts.Distinct().Count(), Is.EqualTo(1), "one identical 401 for every rejection: " + string.Join(" | ", texts));

        // The owner reads why; never the body, the signature or a secret.
        JsonArray log = [];
        await Eventually.HoldsAsync(async () =>
        {
            log = (await (await tenant.Http.GetAsync($"/v1/connectors/{connectorId}/rejections")).OkAsync())["data"]!.AsArray();
            return log.Count >= unauthorized.Count;
        }, "the rejection log has every rejection");
        var text = log.ToJsonString();
        Assert.Multiple(() =>
        {
            Assert.That(log.Select(r => r!["reason"]!.GetValue<string>()).Distinct(), Is.EquivalentTo(reasons));
            Assert.That(log.Select(r => r!["body_sha256"]?.GetValue<string>()), Does.Contain(Sha256(signsBody ? Tamper(body) : body)));
            Assert.That(text, Does.Not.Contain(secret).And.Not.Contain("sha256=").And.Not.Contain(body));
            Assert.That(log[0]!["remote_address"]!.GetValue<string>(), Is.EqualTo("127.0.0.1"));
            Assert.That(log[0]!["received_at"]!.GetValue<DateTime>(), Is.GreaterThanOrEqualTo(log[^1]!["received_at"]!.GetValue<DateTime>()), "newest first");
        });
    }

    [Test]
    public async Task Slack_url_verification_is_answered_with_its_challenge_and_stores_nothing()
    {
        var (tenant, connectorId, secret) = await InboundAsync("slack", "8f742231b10e8888abcd99yyyzzz85a5");
        using var source = Host.Client();
        const string body = """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""";
        var answer = await (await SendAsync(source, connectorId, body, await SignAsync("slack", secret, body))).OkAsync();
        var events = await (await tenant.Http.GetAsync($"/v1/connectors/{connectorId}/events")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(answer.ToJsonString(), Is.EqualTo("""{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}"""));
            Assert.That(events["data"]!.AsArray(), Is.Empty);
        });
    }

    [Test]
    public async Task Slack_form_bodies_are_stored_as_an_object_of_their_fields_with_payload_parsed()
    {
        var (tenant, connectorId, secret) = await InboundAsync("slack", "slack-signing-secret-0123456789ab");
        using var source = Host.Client();
        const string command = "token=x&team_id=T1&command=%2Fdeploy&text=api+now&user_name=ada";
        var interactive = "payload=" + Uri.EscapeDataString("""{"type":"block_actions","actions":[{"action_id":"approve"}]}""");
        foreach (var body in new[] { command, interactive })
        {
            var response = await SendAsync(source, connectorId, body, await SignAsync("slack", secret, body), "application/x-www-form-urlencoded");
            await response.OkAsync(HttpStatusCode.Accepted);
        }

        var events = (await (await tenant.Http.GetAsync($"/v1/connectors/{connectorId}/events")).OkAsync())["data"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(events[1]!["payload"]!["command"]!.GetValue<string>(), Is.EqualTo("/deploy"));
            Assert.That(events[1]!["payload"]!["text"]!.GetValue<string>(), Is.EqualTo("api now"));
            Assert.That(events[0]!["payload"]!["payload"]!["type"]!.GetValue<string>(), Is.EqualTo("block_actions"));
            Assert.That(events[0]!["source"]!["event_type"]?.GetValue<string>(), Is.Null);
        });
    }

    [Test]
    public async Task Invalid_json_no_secret_and_a_body_too_large_are_logged_and_answered_400_401_413()
    {
        var (tenant, connectorId, secret) = await InboundAsync("github", null);
        using var source = Host.Client();
        const string notJson = "this is not json";
        var bad = await SendAsync(source, connectorId, notJson, await SignAsync("github", secret, notJson));
        await bad.ProblemAsync(HttpStatusCode.BadRequest);
        var large = new string('x', 1024 * 1024 + 10);
        await (await SendAsync(source, connectorId, large, new Dictionary<string, string>())).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        var bare = await tenant.Http.CreateConnectorAsync("github", name: "bare");
        await (await SendAsync(source, bare.Id(), "{}", await SignAsync("github", secret, "{}"))).ProblemAsync(HttpStatusCode.Unauthorized);

        await Eventually.HoldsAsync(async () =>
        {
            var log = (await (await tenant.Http.GetAsync($"/v1/connectors/{connectorId}/rejections")).OkAsync())["data"]!.AsArray();
            var bareLog = (await (await tenant.Http.GetAsync($"/v1/connectors/{bare.Id()}/rejections")).OkAsync())["data"]!.AsArray();
            return log.Select(r => r!["reason"]!.GetValue<string>()).Order().SequenceEqual(["body_too_large", "invalid_json"])
                && bareLog.Count == 1 && bareLog[0]!["reason"]!.GetValue<string>() == "no_secret"
                && log.First(r => r!["reason"]!.GetValue<string>() == "body_too_large")!["content_length"]!.GetValue<long>() == large.Length;
        }, "invalid_json and body_too_large logged for the connector, no_secret for the one without a webhook");
    }

    [Test]
    public async Task The_rejection_log_keeps_the_newest_100_and_only_its_owner_reads_it()
    {
        var (tenant, connectorId, _) = await InboundAsync("github", null);
        using var source = Host.Client();
        for (var i = 0; i < 130; i++)
        {
            using var response = await SendAsync(source, connectorId, $$"""{"n":{{i}}}""", new Dictionary<string, string> { ["X-Hub-Signature-256"] = "sha256=" + new string('0', 64) });
        }

        await Eventually.HoldsAsync(async () =>
            await Host.ScalarAsync<long>("select count(*) from inbound_rejections where connector_id = @id", new { id = Guid.Parse(connectorId) }) == 100,
            "the table holds exactly the newest 100 rows of the connector");
        var log = (await (await tenant.Http.GetAsync($"/v1/connectors/{connectorId}/rejections")).OkAsync())["data"]!.AsArray();
        Assert.That(log, Has.Count.EqualTo(100));
        Assert.That(log[0]!["body_sha256"]!.GetValue<string>(), Is.EqualTo(Sha256("""{"n":129}""")), "the newest first");

        var stranger = await Host.NewTenantAsync();
        await (await stranger.Http.GetAsync($"/v1/connectors/{connectorId}/rejections")).ProblemAsync(HttpStatusCode.NotFound);
        var webhooksOnly = await Host.NewTenantAsync(Causeloop.Domain.Access.Scope.WebhooksRead);
        await (await webhooksOnly.Http.GetAsync($"/v1/connectors/{connectorId}/rejections")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [TestCase("standard_webhooks", "not-a-whsec-secret")]
    [TestCase("standard_webhooks", "whsec_c2hvcnQ=")]
    [TestCase("stripe", "")]
    [TestCase("stripe", "tab\tinside")]
    public async Task An_imported_secret_that_breaks_the_rules_is_400_and_creates_nothing(string kind, string secret)
    {
        var tenant = await Host.NewTenantAsync();
        var connector = await tenant.Http.CreateConnectorAsync(kind);
        var response = await tenant.Http.PostJsonAsync("/v1/webhooks", new JsonObject { ["connector_id"] = connector.Id(), ["signing_secret"] = secret }.ToJsonString());
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["signing_secret"], Is.Not.Null, problem.ToJsonString());
        Assert.That(await Host.ScalarAsync<long>("select count(*) from webhooks where connector_id = @id", new { id = Guid.Parse(connector.Id()) }), Is.Zero);
    }

    [Test]
    public async Task An_outbound_webhook_never_takes_an_imported_secret()
    {
        var tenant = await Host.NewTenantAsync();
        await (await tenant.Http.PostJsonAsync("/v1/webhooks", """{"url":"https://example.com/h","event_types":["*"],"signing_secret":"whsec_abc"}"""))
            .ProblemAsync(HttpStatusCode.BadRequest);
        var outbound = await tenant.Http.CreateOutboundAsync("https://example.com/h");
        await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{outbound.Id()}/rotate-secret", """{"signing_secret":"whsec_abc"}""")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Issue_ingested_carries_the_source()
    {
        await using var receiver = await Receiver.StartAsync();
        var (tenant, connectorId, secret) = await InboundAsync("github", null);
        await tenant.SubscribeAsync(receiver, """["issue.ingested"]""");
        using var source = Host.Client();
        const string body = """{"action":"opened"}""";
        await (await SendAsync(source, connectorId, body, await SignAsync("github", secret, body, id: "gh-delivery-1"))).OkAsync(HttpStatusCode.Accepted);
        var delivered = await receiver.WaitForAsync(1);
        var data = JsonNode.Parse(delivered[0].Body)!["data"]!;
        Assert.That(data["source"]!.ToJsonString(), Is.EqualTo("""{"kind":"github","event_type":"issues","delivery_id":"gh-delivery-1"}"""));
        Assert.That(data["payload"]!["action"]!.GetValue<string>(), Is.EqualTo("opened"));
    }

    private async Task<(Tenant Tenant, string ConnectorId, string Secret)> InboundAsync(string kind, string? imported)
    {
        var tenant = await Host.NewTenantAsync();
        var (connectorId, webhook) = await tenant.Http.CreateInboundConnectorAsync(kind, imported);
        return (tenant, connectorId, webhook.SigningSecret());
    }

    private static string? DedupeId(string kind, string body, string deliveryId) => kind switch
    {
        "stripe" => JsonNode.Parse(body)!["id"]!.GetValue<string>(),
        "slack" => JsonNode.Parse(body)!["event_id"]!.GetValue<string>(),
        _ => deliveryId,
    };

    private static string Tamper(string body) => body.Replace("}", " }", StringComparison.Ordinal);

    private static string Sha256(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
}
