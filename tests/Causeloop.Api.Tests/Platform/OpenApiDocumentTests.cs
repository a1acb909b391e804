using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Platform;

/// <summary>
/// What a user opening /scalar, or generating a client, relies on: every operation summarised, described with the scope
/// it needs, with a stable operationId; examples that are valid and that the service accepts; and the contract check
/// that every other test's responses go through (<see cref="OpenApiConformance"/>) really catching a lie.
/// </summary>
public sealed partial class OpenApiDocumentTests : ApiTest
{
    [Test]
    public async Task Every_operation_has_a_summary_a_description_naming_its_scope_and_a_stable_operation_id()
    {
        var contract = await ContractAsync();
        var ids = new List<string>();
        foreach (var (path, method, operation) in Operations(contract.Document))
        {
            var id = operation["operationId"]?.GetValue<string>();
            var description = operation["description"]?.GetValue<string>() ?? string.Empty;
            Assert.Multiple(() =>
            {
                Assert.That(id, Does.Match("^[A-Z][A-Za-z]+_[A-Z][A-Za-z]+$"), $"{method} {path}");
                Assert.That(operation["summary"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, $"{method} {path}");
                if (operation["security"] is JsonArray { Count: > 0 } && id != "EventTypes_List")
                {
                    Assert.That(ScopeMention().IsMatch(description), Is.True, $"{id} names the scope it needs: {description}");
                }
            });
            ids.Add(id!);
        }

        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.Unique);
            Assert.That(ids, Has.Count.GreaterThanOrEqualTo(18));
            Assert.That(contract.Document["info"]!["title"]!.GetValue<string>(), Is.EqualTo("Causeloop webhooks API"));
            Assert.That(contract.Document["info"]!["description"]!.GetValue<string>(), Does.Contain("Authentication and scopes").And.Contain("Pagination").And.Contain("Idempotency").And.Contain("Inbound signing"));
        });
    }

    [Test]
    public async Task A_connector_kind_is_an_enum_describing_each_scheme()
    {
        var contract = await ContractAsync();
        var kind = contract.Document["components"]!["schemas"]!["CreateConnectorRequest"]!["properties"]!["kind"]!;
        Assert.Multiple(() =>
        {
            Assert.That(kind["enum"]!.AsArray().Select(k => k!.GetValue<string>()), Is.EquivalentTo(Causeloop.Domain.Inbound.ConnectorKind.All));
            foreach (var name in Causeloop.Domain.Inbound.ConnectorKind.All)
            {
                Assert.That(kind["description"]!.GetValue<string>(), Does.Contain($"`{name}`:"));
            }
        });
    }

    [Test]
    public async Task Every_example_in_the_document_is_valid_against_its_schema()
    {
        var contract = await ContractAsync();
        var checkedExamples = 0;
        foreach (var (_, _, operation) in Operations(contract.Document))
        {
            var id = operation["operationId"]!.GetValue<string>();
            var media = new List<(string Where, JsonObject Media)>();
            if (operation["requestBody"]?["content"]?["application/json"] is JsonObject request)
            {
                media.Add(($"{id} request", request));
            }

            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                if (response?["content"]?["application/json"] is JsonObject body)
                {
                    media.Add(($"{id} {status}", body));
                }
            }

            foreach (var (where, content) in media)
            {
                var examples = (content["examples"]?.AsObject().Select(e => e.Value!["value"]!) ?? []).Append(content["example"]).OfType<JsonNode>();
                foreach (var example in examples)
                {
                    Assert.That(contract.Validate(content["schema"]!.AsObject(), example), Is.Null, $"{where}: {example.ToJsonString()}");
                    checkedExamples++;
                }
            }
        }

        Assert.That(checkedExamples, Is.GreaterThanOrEqualTo(10));
    }

    [Test]
    public async Task The_request_examples_are_accepted_by_the_service()
    {
        var tenant = await Host.NewTenantAsync();
        var contract = await ContractAsync();
        string Example(string operationId, string name) =>
            Operations(contract.Document).Single(o => o.Operation["operationId"]!.GetValue<string>() == operationId)
                .Operation["requestBody"]!["content"]!["application/json"]!["examples"]![name]!["value"]!.ToJsonString();

        var connector = await (await tenant.Http.PostJsonAsync("/v1/connectors", Example("Connectors_Create", "custom"))).OkAsync(HttpStatusCode.Created);
        var outbound = await (await tenant.Http.PostJsonAsync("/v1/webhooks", Example("Webhooks_Create", "outbound"))).OkAsync(HttpStatusCode.Created);
        await (await tenant.Http.PostJsonAsync("/v1/webhooks", Example("Webhooks_Create", "outbound, every event type"))).OkAsync(HttpStatusCode.Created);
        await (await tenant.Http.PostJsonAsync("/v1/webhooks", Example("Webhooks_Create", "outbound, OAuth 2.0 client credentials and a static header"))).OkAsync(HttpStatusCode.Created);
        await (await tenant.Http.PostJsonAsync("/v1/webhooks", Example("Webhooks_Create", "outbound, TLS client certificate (mTLS)"))).OkAsync(HttpStatusCode.Created);
        var inbound = Example("Webhooks_Create", "inbound").Replace("0196f1a2-7c3d-7e4f-8a5b-000000000001", connector.Id(), StringComparison.Ordinal);
        await (await tenant.Http.PostJsonAsync("/v1/webhooks", inbound)).OkAsync(HttpStatusCode.Created);
        var filtered = await (await tenant.Http.PostJsonAsync("/v1/webhooks", Example("Webhooks_Create", "outbound, only big EU orders"))).OkAsync(HttpStatusCode.Created);
        var tried = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{filtered.Id()}/filter/test", Example("Webhooks_TestFilter", "an event to try"))).OkAsync();
        Assert.That(tried["matches"]!.GetValue<bool>(), Is.True, "the documented event passes the documented filter");
        foreach (var name in new[] { "disable", "move and resubscribe", "filter: jira or github sources", "remove the filter", "replace the static headers", "remove the headers and the auth", "at most 50 deliveries a second", "remove the rate limit" })
        {
            using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/webhooks/{outbound.Id()}") { Content = Support.Json.Body(Example("Webhooks_Update", name)) };
            await (await tenant.Http.SendAsync(patch)).OkAsync();
        }

        await (await tenant.Http.PostJsonAsync("/v1/events", Example("Events_Publish", "sync completed"))).OkAsync(HttpStatusCode.Accepted);
    }

    [Test]
    public async Task The_contract_check_catches_an_undocumented_status_a_wrong_content_type_and_a_body_off_its_schema()
    {
        var contract = await ContractAsync();
        var webhook = """{"id":"0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b","url":"https://example.com/h","connector_id":null,"direction":"outbound","event_types":["*"],"enabled":true,"description":null,"inbound_url":null,"disabled_reason":null,"created_at":"2026-11-29T12:00:00Z","updated_at":"2026-11-29T12:00:00Z","filter":null,"headers":null,"auth":null,"rate_limit":null}"""u8.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(contract.Check("GET", "/v1/webhooks/0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b", 200, "application/json", webhook), Is.Null, "a true answer passes");
            Assert.That(contract.Check("GET", "/v1/webhooks", 500, "application/problem+json", """{"status":500}"""u8.ToArray()), Does.Contain("not documented"));
            Assert.That(contract.Check("GET", "/v1/webhooks/0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b", 200, "text/html", webhook), Does.Contain("came as text/html"));
            Assert.That(contract.Check("GET", "/v1/webhooks/0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b", 200, "application/json", """{"id":42}"""u8.ToArray()), Does.Contain("does not match its schema"));
            Assert.That(contract.Check("GET", "/health/live", 200, "text/plain", "Healthy"u8.ToArray()), Is.Null, "undocumented paths are not checked");
        });
    }

    private async Task<OpenApiContract> ContractAsync()
    {
        using var client = Host.Client();
        return new OpenApiContract(await client.GetStringAsync("/openapi/v1.json"));
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Where(m => m.Value is JsonObject).Select(m => (p.Key, m.Key, m.Value!.AsObject())));

    [GeneratedRegex(@"Scope: `[a-z]+:(read|admin|write)`")]
    private static partial Regex ScopeMention();
}
