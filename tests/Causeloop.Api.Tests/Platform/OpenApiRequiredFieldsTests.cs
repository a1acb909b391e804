using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Platform;

/// <summary>The document must not refuse valid requests: only fields every request must carry are marked required.</summary>
public sealed class OpenApiRequiredFieldsTests : ApiTest
{
    [TestCase("CreateWebhookRequest", new string[0])] // outbound and inbound need different fields: none is required of both
    [TestCase("PublishEventRequest", new[] { "type", "data" })]
    [TestCase("CreateConnectorRequest", new[] { "name", "kind" })]
    public async Task Request_schemas_require_only_what_every_request_carries(string schema, string[] required)
    {
        using var client = Host.Client();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var marked = document["components"]!["schemas"]![schema]!["required"]?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];
        Assert.That(marked, Is.EquivalentTo(required), document["components"]!["schemas"]![schema]!.ToJsonString());
    }

    [TestCase("ProblemDetails")]
    [TestCase("ValidationProblemDetails")]
    public async Task Problem_schemas_admit_the_extension_members_the_service_sends(string schema)
    {
        using var client = Host.Client();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var node = document["components"]!["schemas"]![schema];
        Assert.That(node, Is.Not.Null, $"{schema} is in the document");
        Assert.That(node!["additionalProperties"]?.GetValueKind(), Is.Not.EqualTo(System.Text.Json.JsonValueKind.False), node.ToJsonString());
    }

    [Test]
    public async Task The_document_introduces_the_api_and_every_operation_has_a_unique_stable_operation_id()
    {
        using var client = Host.Client();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var ids = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => op.Value!["operationId"]?.GetValue<string>()))
            .ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(document["info"]!["title"]!.GetValue<string>(), Is.EqualTo("Causeloop webhooks API"));
            Assert.That(document["info"]!["description"]!.GetValue<string>(), Does.Contain("Authentication and scopes").And.Contain("Pagination")
                .And.Contain("Errors").And.Contain("Idempotency").And.Contain("Inbound signing"));
            Assert.That(ids, Has.None.Null, "every operation has an id");
            Assert.That(ids, Is.Unique);
            Assert.That(ids, Does.Contain("Webhooks_Create").And.Contain("Events_Publish").And.Contain("Inbound_Receive"));
        });
    }

    [Test]
    public async Task Every_operation_with_a_key_documents_its_401_and_403_and_every_list_its_400()
    {
        using var client = Host.Client();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var missing = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                var expected = path.StartsWith("/v1/webhooks/inbound", StringComparison.Ordinal) ? new[] { "401" } : ["401", "403"];
                if (operation["parameters"]?.AsArray().Any(p => p!["name"]!.GetValue<string>() == "limit") == true)
                {
                    expected = [.. expected, "400"];
                }

                missing.AddRange(expected.Where(s => !responses.ContainsKey(s)).Select(s => $"{method} {path} {s}"));
            }
        }

        Assert.That(missing, Is.Empty);
    }
}
