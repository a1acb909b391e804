using System.Net;
using System.Text;
using System.Text.Json;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Inbound;

public sealed class InboundTests : ApiTest
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private const string Payload = """{"issue":{"key":"CL-1","summary":"Checkout fails"},"tags":["p1"]}""";

    [Test]
    public async Task A_signed_request_is_accepted_and_stored_with_its_raw_bytes_and_an_outbox_event()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        var body = Encoding.UTF8.GetBytes(Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{endpoint.ConnectorId}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-causeloop-signature", SignedSource.Sign(endpoint.Secret, body).ToUpperInvariant());
        request.Headers.Add("x-causeloop-event-id", "evt-1");
        request.Headers.UserAgent.ParseAdd("jira-hooks/1.0");

        var accepted = await SignedSource.AcceptedAsync(await source.SendAsync(request));
        var id = Guid.Parse(accepted["id"]!.GetValue<string>());
        var row = (await Host.QueryAsync<(byte[] Raw, string? Payload, string ContentType, string UserAgent, string EventId, Guid ConnectorId)>(
            "select raw_body, payload::text, content_type, user_agent, event_id, connector_id from inbound_events where id = @id", new { id })).Single();
        var outbox = (await Host.QueryAsync<(string Type, byte[] Body)>("select type, body from events where workspace_id = (select workspace_id from inbound_events where id = @id)", new { id })).Single();
        using var envelope = JsonDocument.Parse(outbox.Body);

        Assert.Multiple(() =>
        {
            Assert.That(accepted["duplicate"]!.GetValue<bool>(), Is.False);
            Assert.That(row.Raw, Is.EqualTo(body), "the exact bytes received");
            Assert.That(row.Payload, Is.Null, "stored once: the raw bytes are the body (no parsed copy of a JSON body)");
            Assert.That(row.ContentType, Is.EqualTo("application/json"));
            Assert.That(row.UserAgent, Is.EqualTo("jira-hooks/1.0"));
            Assert.That(row.EventId, Is.EqualTo("evt-1"));
            Assert.That(row.ConnectorId.ToString(), Is.EqualTo(endpoint.ConnectorId));
            Assert.That(outbox.Type, Is.EqualTo("issue.ingested"));
            Assert.That(envelope.RootElement.GetProperty("type").GetString(), Is.EqualTo("issue.ingested"));
            var data = envelope.RootElement.GetProperty("data");
            Assert.That(data.GetProperty("inbound_event_id").GetGuid(), Is.EqualTo(id));
            Assert.That(data.GetProperty("connector_id").GetString(), Is.EqualTo(endpoint.ConnectorId));
            Assert.That(data.GetProperty("payload").GetProperty("issue").GetProperty("summary").GetString(), Is.EqualTo("Checkout fails"));
        });
    }

    [Test]
    public async Task Json_arrays_are_accepted_too()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, """[{"a":1},{"a":2}]"""));
    }

    [Test]
    public async Task Every_rejection_is_the_same_401_and_stores_nothing()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        var disabled = await SignedSource.CreateAsync(Host, endpoint.Tenant);
        await (await endpoint.Tenant.Http.PatchJsonAsync($"/v1/webhooks/{disabled.WebhookId}", """{"enabled":false}""")).OkAsync();
        var deleted = await SignedSource.CreateAsync(Host, endpoint.Tenant);
        Assert.That((await endpoint.Tenant.Http.DeleteAsync($"/v1/connectors/{deleted.ConnectorId}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var noWebhook = await endpoint.Tenant.Http.CreateConnectorAsync(name: "bare");
        var body = Encoding.UTF8.GetBytes(Payload);
        var good = SignedSource.Sign(endpoint.Secret, body);
        var pretty = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(JsonDocument.Parse(Payload), Indented));

        var cases = new (string Name, string ConnectorId, byte[] Body, string? Signature)[]
        {
            ("missing header", endpoint.ConnectorId, body, null),
            ("empty header", endpoint.ConnectorId, body, ""),
            ("odd-length hex", endpoint.ConnectorId, body, good[..^1]),
            ("truncated hex", endpoint.ConnectorId, body, good[..^2]),
            ("non-hex", endpoint.ConnectorId, body, "zz" + good[2..]),
            ("prefixed", endpoint.ConnectorId, body, "sha256=" + good),
            ("mismatch", endpoint.ConnectorId, body, SignedSource.Sign("whsec_other", body)),
            ("tampered body", endpoint.ConnectorId, Encoding.UTF8.GetBytes(Payload.Replace("CL-1", "CL-2", StringComparison.Ordinal)), good),
            ("same JSON pretty-printed", endpoint.ConnectorId, pretty, good),
            ("signed with another connector's secret", endpoint.ConnectorId, body, SignedSource.Sign(disabled.Secret, body)),
            ("unknown connector", Guid.CreateVersion7().ToString(), body, good),
            ("malformed connector id", "not-a-uuid", body, good),
            ("disabled inbound webhook", disabled.ConnectorId, body, SignedSource.Sign(disabled.Secret, body)),
            ("deleted connector", deleted.ConnectorId, body, SignedSource.Sign(deleted.Secret, body)),
            ("connector without inbound webhook", noWebhook["id"]!.GetValue<string>(), body, good),
        };

        var events = await Host.ScalarAsync<long>("select count(*) from inbound_events");
        var outbox = await Host.ScalarAsync<long>("select count(*) from events");
        using var source = Host.Client();
        string? firstBody = null;
        foreach (var (name, connectorId, payload, signature) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{connectorId}") { Content = new ByteArrayContent(payload) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            if (signature is not null)
            {
                request.Headers.TryAddWithoutValidation("x-causeloop-signature", signature);
            }

            var response = await source.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), name);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), name);
            firstBody ??= text;
            Assert.That(text, Is.EqualTo(firstBody), $"{name}: the body must not tell one rejection from another");
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events"), Is.EqualTo(events));
            Assert.That(await Host.ScalarAsync<long>("select count(*) from events"), Is.EqualTo(outbox));
        });
    }

    [Test]
    public async Task A_bearer_token_does_not_replace_the_signature()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{endpoint.ConnectorId}") { Content = Support.Json.Body(Payload) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", endpoint.Tenant.ApiKey);
        Assert.That((await endpoint.Tenant.Http.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("not json at all")]
    [TestCase("{\"unterminated\":")]
    [TestCase("")]
    [TestCase("{\"a\":1} trailing")]
    public async Task A_verified_body_that_is_not_json_is_400_and_stores_nothing(string body)
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        var before = await Host.ScalarAsync<long>("select count(*) from inbound_events");
        using var source = Host.Client();
        await (await endpoint.SendAsync(source, body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events"), Is.EqualTo(before));
    }

    [Test]
    public async Task A_body_over_one_mebibyte_is_413_and_stores_nothing()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        var before = await Host.ScalarAsync<long>("select count(*) from inbound_events");
        var big = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 1024 * 1024) + "\"}");
        using var source = Host.Client();
        await (await endpoint.SendAsync(source, big)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        // Without Content-Length (chunked), reading stops at the limit too.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{endpoint.ConnectorId}")
        {
            Content = new StreamContent(new NonSeekableStream(big)),
        };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.Add("x-causeloop-signature", SignedSource.Sign(endpoint.Secret, big));
        await (await source.SendAsync(chunked)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        var justUnder = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', (1024 * 1024) - 12) + "\"}");
        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, justUnder));
        Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events"), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task A_repeated_event_id_answers_200_with_the_first_id_and_stores_nothing_new()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        var first = await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, Payload, "evt-dup"));
        var events = await Host.ScalarAsync<long>("select count(*) from inbound_events");
        var outbox = await Host.ScalarAsync<long>("select count(*) from events");

        var again = await (await endpoint.SendAsync(source, """{"different":"body"}""", "evt-dup")).OkAsync(HttpStatusCode.OK);
        Assert.Multiple(async () =>
        {
            Assert.That(again["id"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
            Assert.That(again["duplicate"]!.GetValue<bool>(), Is.True);
            Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events"), Is.EqualTo(events));
            Assert.That(await Host.ScalarAsync<long>("select count(*) from events"), Is.EqualTo(outbox));
        });

        // The same event id from another connector is another event.
        var other = await SignedSource.CreateAsync(Host, endpoint.Tenant);
        var third = await SignedSource.AcceptedAsync(await other.SendAsync(source, Payload, "evt-dup"));
        Assert.That(third["id"]!.GetValue<string>(), Is.Not.EqualTo(first["id"]!.GetValue<string>()));

        // Without an event id there is no dedupe.
        var a = await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, Payload));
        var b = await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, Payload));
        Assert.That(a["id"]!.GetValue<string>(), Is.Not.EqualTo(b["id"]!.GetValue<string>()));
    }

    [Test]
    public async Task Fifty_parallel_requests_with_one_event_id_store_exactly_one_event()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => endpoint.SendAsync(source, Payload, "evt-race")));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.That(responses.All(r => r.IsSuccessStatusCode), Is.True, string.Join('\n', bodies.Where(b => !b.Contains("\"id\"", StringComparison.Ordinal)).Concat(Host.Logs.Entries)));
        var ids = bodies.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("id").GetString()).Distinct().ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Accepted), Is.EqualTo(1));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(49));
            Assert.That(ids, Has.Count.EqualTo(1));
            Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where event_id = 'evt-race'"), Is.EqualTo(1));
            Assert.That(await Host.ScalarAsync<long>(
                "select count(*) from events e where e.type = 'issue.ingested' and convert_from(e.body, 'UTF8')::jsonb -> 'data' ->> 'inbound_event_id' = @id",
                new { id = ids[0] }), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task An_over_long_event_id_is_400()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        await (await endpoint.SendAsync(source, Payload, new string('e', 201))).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Json_whose_strings_are_not_text_is_400_not_500()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        await (await endpoint.SendAsync(source, """{"half":"\udc00"}""")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
