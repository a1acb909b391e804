using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>Edges found by hostile input: every rejection before verification is the one 401, whatever the request looks like.</summary>
public sealed class InboundEdgeTests : ApiTest
{
    private const int Limit = 2048;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:MaxBodyBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(
        HttpClient client, string path, byte[] body, string? contentType, IEnumerable<string> signatures, bool chunked = false)
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        foreach (var signature in signatures)
        {
            request.Headers.TryAddWithoutValidation("x-causeloop-signature", signature);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> UnsignedRejectionAsync(HttpClient client, SignedSource endpoint) =>
        (await SendAsync(client, $"/v1/webhooks/inbound/{endpoint.ConnectorId}", "{}"u8.ToArray(), "application/json", [])).Body;

    [TestCase("text/plain")]
    [TestCase("application/xml")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase(null)]
    public async Task A_request_of_any_content_type_is_verified_first_and_an_unverified_one_gets_the_same_401(string? contentType)
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var client = Host.Client();
        var expected = await UnsignedRejectionAsync(client, endpoint);
        var body = "{\"a\":1}"u8.ToArray();

        var wrong = await SendAsync(client, $"/v1/webhooks/inbound/{endpoint.ConnectorId}", body, contentType, [SignedSource.Sign("whsec_wrong", body)]);
        var signedJson = await SendAsync(client, $"/v1/webhooks/inbound/{endpoint.ConnectorId}", body, contentType, [SignedSource.Sign(endpoint.Secret, body)]);
        var notJson = "a=1"u8.ToArray();
        var signedNotJson = await SendAsync(client, $"/v1/webhooks/inbound/{endpoint.ConnectorId}", notJson, contentType, [SignedSource.Sign(endpoint.Secret, notJson)]);
        Assert.Multiple(() =>
        {
            Assert.That(wrong, Is.EqualTo((HttpStatusCode.Unauthorized, expected)), "not 415: nothing is said before verification");
            Assert.That(signedJson.Status, Is.EqualTo(HttpStatusCode.Accepted), "a verified JSON body is accepted whatever it was labelled");
            Assert.That(signedNotJson.Status, Is.EqualTo(HttpStatusCode.BadRequest), "a verified body that is not JSON");
        });
    }

    [TestCase("%20")]
    [TestCase("%20%20")]
    [TestCase("0")]
    [TestCase("01a2291d-05a7-799b-804c-616b0a16aae8x")]
    public async Task A_connector_id_that_is_not_an_id_gets_the_same_401(string connectorId)
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var client = Host.Client();
        var body = "{}"u8.ToArray();
        var answer = await SendAsync(client, $"/v1/webhooks/inbound/{connectorId}", body, "application/json", [SignedSource.Sign(endpoint.Secret, body)]);
        Assert.That(answer, Is.EqualTo((HttpStatusCode.Unauthorized, await UnsignedRejectionAsync(client, endpoint))));
    }

    [Test]
    public async Task A_repeated_signature_header_is_accepted_when_any_value_verifies_in_either_order()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var client = Host.Client();
        var body = "{\"n\":1}"u8.ToArray();
        var good = SignedSource.Sign(endpoint.Secret, body);
        var bad = SignedSource.Sign("whsec_wrong", body);
        var path = $"/v1/webhooks/inbound/{endpoint.ConnectorId}";

        var goodFirst = await SendAsync(client, path, body, "application/json", [good, bad]);
        var badFirst = await SendAsync(client, path, body, "application/json", [bad, good]);
        var commaSeparated = await SendAsync(client, path, body, "application/json", [$"{bad}, {good}"]);
        var allBad = await SendAsync(client, path, body, "application/json", [bad, bad]);
        var tooMany = await SendAsync(client, path, body, "application/json", [bad, bad, bad, bad, bad, good]);
        Assert.Multiple(() =>
        {
            Assert.That(goodFirst.Status, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(badFirst.Status, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(commaSeparated.Status, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(allBad.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(tooMany.Status, Is.EqualTo(HttpStatusCode.Unauthorized), "more than five values are refused unread");
        });
    }

    [Test]
    public async Task A_body_of_exactly_the_limit_is_accepted_chunked_as_with_a_content_length_and_one_byte_more_is_413()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var client = Host.Client();
        static byte[] Json(int size) => Encoding.UTF8.GetBytes("{\"x\":\"" + new string('a', size - 8) + "\"}");
        var exact = Json(Limit);
        var over = Json(Limit + 1);
        Assert.That(exact, Has.Length.EqualTo(Limit));
        var path = $"/v1/webhooks/inbound/{endpoint.ConnectorId}";

        var withLength = await SendAsync(client, path, exact, "application/json", [SignedSource.Sign(endpoint.Secret, exact)]);
        var chunked = await SendAsync(client, path, exact, "application/json", [SignedSource.Sign(endpoint.Secret, exact)], chunked: true);
        var overChunked = await SendAsync(client, path, over, "application/json", [SignedSource.Sign(endpoint.Secret, over)], chunked: true);
        var overWithLength = await SendAsync(client, path, over, "application/json", [SignedSource.Sign(endpoint.Secret, over)]);
        Assert.Multiple(() =>
        {
            Assert.That(withLength.Status, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(chunked.Status, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(overChunked.Status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(overWithLength.Status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        });
    }

    [Test]
    public async Task A_body_over_the_limit_gets_the_same_413_whatever_the_connector_and_a_live_connector_logs_it()
    {
        var live = await SignedSource.CreateAsync(Host);
        var bare = await live.Tenant.Http.CreateConnectorAsync(name: "bare");
        using var client = Host.Client();
        var over = Encoding.UTF8.GetBytes("{\"x\":\"" + new string('a', Limit) + "\"}");
        string[] connectorIds = [live.ConnectorId, Guid.NewGuid().ToString(), "0", bare.Id()];

        var answers = new List<(HttpStatusCode Status, string Problem)>();
        foreach (var connectorId in connectorIds)
        {
            var (status, body) = await SendAsync(client, $"/v1/webhooks/inbound/{connectorId}", over, "application/json", [SignedSource.Sign(live.Secret, over)]);
            // The problem's instance is the request's own path; everything else must be the same.
            var problem = JsonNode.Parse(body)!.AsObject();
            problem.Remove("instance");
            answers.Add((status, problem.ToJsonString()));
        }

        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(HttpStatusCode.RequestEntityTooLarge), "live, unknown, not an id, no secret");
            Assert.That(answers.Select(a => a.Problem).Distinct().Count(), Is.EqualTo(1), string.Join("\n", answers));
        });
        await Eventually.HoldsAsync(async () =>
        {
            var log = (await (await live.Tenant.Http.GetAsync($"/v1/connectors/{live.ConnectorId}/rejections")).OkAsync())["data"]!.AsArray();
            return log.Count == 1 && log[0]!["reason"]!.GetValue<string>() == "body_too_large";
        }, "the live connector's owner sees body_too_large");
    }
}
