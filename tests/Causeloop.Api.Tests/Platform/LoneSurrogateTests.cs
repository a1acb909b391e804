using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Platform;

/// <summary>
/// JSON may escape half of a surrogate pair (<c>"\ud800"</c>): valid JSON syntax, but no Unicode text. Wherever a
/// body's strings are read, such a body is bad input (400, nothing stored), never a 500.
/// </summary>
public sealed class LoneSurrogateTests : ApiTest
{
    [TestCase("""{"s":"\ud800"}""")]
    [TestCase("""{"s":"ok \udc00 not ok"}""")]
    [TestCase("""{"\ud800":1}""")]
    [TestCase("""{"deep":{"list":[1,"\udbff"]}}""")]
    public async Task Published_data_with_a_lone_surrogate_is_400_and_nothing_is_stored(string data)
    {
        var tenant = await Host.NewTenantAsync();
        var response = await tenant.Http.PostJsonAsync("/v1/events", $$"""{"type":"sync.completed","data":{{data}}}""");
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["data"], Is.Not.Null, problem.ToJsonString());
        Assert.That(await Host.ScalarAsync<long>("select count(*) from events e join workspaces w on w.id = e.workspace_id where w.name = @name", new { name = tenant.Workspace }), Is.Zero);
    }

    [Test]
    public async Task A_well_formed_pair_of_surrogates_is_accepted()
    {
        var tenant = await Host.NewTenantAsync();
        await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{"s":"\ud83d\ude00"}}""")).OkAsync(HttpStatusCode.Accepted);
    }

    [Test]
    public async Task A_verified_inbound_body_with_a_lone_surrogate_is_400()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var client = Host.Client();
        var response = await endpoint.SendAsync(client, """{"issue":"\ud800"}""", eventId: "lone-1");
        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @id", new { id = Guid.Parse(endpoint.ConnectorId) }), Is.Zero);
    }

    [Test]
    public async Task A_stripe_event_whose_id_is_a_lone_surrogate_is_400()
    {
        var tenant = await Host.NewTenantAsync();
        var (connectorId, webhook) = await tenant.Http.CreateInboundConnectorAsync("stripe");
        var secret = webhook.SigningSecret();
        const string body = """{"id":"\ud800","object":"event","type":"invoice.paid"}""";
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
        using var client = Host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{connectorId}") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Stripe-Signature", $"t={t},v1={signature}");
        await (await client.SendAsync(request)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_slack_handshake_whose_challenge_is_a_lone_surrogate_is_400()
    {
        var tenant = await Host.NewTenantAsync();
        var (connectorId, webhook) = await tenant.Http.CreateInboundConnectorAsync("slack");
        var secret = webhook.SigningSecret();
        const string body = """{"type":"url_verification","challenge":"\ud800"}""";
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{t}:{body}")));
        using var client = Host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{connectorId}") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Slack-Signature", signature);
        request.Headers.Add("X-Slack-Request-Timestamp", $"{t}");
        await (await client.SendAsync(request)).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
