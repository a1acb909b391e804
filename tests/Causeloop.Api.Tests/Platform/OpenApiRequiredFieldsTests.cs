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
}
