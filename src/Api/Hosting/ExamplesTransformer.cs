using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Causeloop.Api.Hosting;

/// <summary>
/// Request and response examples for the main operations, as a user opening <c>/scalar</c> would copy them. The tests
/// send each request example to the running service and check that it is answered with its documented status.
/// </summary>
public sealed class ExamplesTransformer : IOpenApiOperationTransformer
{
    private const string Id = "0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b";
    private const string ConnectorId = "0196f1a2-7c3d-7e4f-8a5b-000000000001";
    private const string Time = "2026-11-29T12:00:00Z";

    /// <summary>Request examples by operation id: name → body.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Requests = new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["Connectors_Create"] = new Dictionary<string, string> { ["custom"] = """{"name":"Jira","kind":"custom"}""" },
        ["Webhooks_Create"] = new Dictionary<string, string>
        {
            ["outbound"] = """{"url":"https://example.com/hooks/causeloop","event_types":["issue.ingested","pattern.detected"],"description":"Ops alerts"}""",
            ["outbound, every event type"] = """{"url":"https://example.com/hooks/all","event_types":["*"],"enabled":false}""",
            ["inbound"] = $$"""{"connector_id":"{{ConnectorId}}","description":"Jira push"}""",
            ["outbound, only big EU orders"] = """{"url":"https://example.com/hooks/eu","event_types":["sync.completed"],"filter":{"data.currency":"EUR","data.total":{"$gte":100}}}""",
        },
        ["Webhooks_Update"] = new Dictionary<string, string>
        {
            ["disable"] = """{"enabled":false}""",
            ["move and resubscribe"] = """{"url":"https://example.com/hooks/v2","event_types":["*"],"description":"v2 receiver"}""",
            ["filter: jira or github sources"] = """{"filter":{"$or":[{"data.source":"jira"},{"data.source":{"$in":["github","gitlab"]}}]}}""",
            ["remove the filter"] = """{"filter":null}""",
        },
        ["Webhooks_TestFilter"] = new Dictionary<string, string>
        {
            ["an event to try"] = """{"type":"sync.completed","data":{"source":"jira","currency":"EUR","total":120}}""",
        },
        ["Events_Publish"] = new Dictionary<string, string>
        {
            ["sync completed"] = """{"type":"sync.completed","data":{"source":"jira","items":42},"idempotency_key":"sync-2026-11-29T12:00"}""",
            ["in order per issue"] = """{"type":"pattern.detected","data":{"issue":"CL-1042","pattern":"checkout-timeout"},"ordering_key":"CL-1042"}""",
        },
    };

    /// <summary>Success response examples by operation id and status.</summary>
    private static readonly Dictionary<(string, string), string> Responses = new()
    {
        [("Connectors_Create", "201")] = $$"""{"id":"{{ConnectorId}}","name":"Jira","kind":"custom","created_at":"{{Time}}"}""",
        [("Webhooks_Create", "201")] = $$"""
            {"id":"{{Id}}","url":"https://example.com/hooks/causeloop","connector_id":null,"direction":"outbound",
             "event_types":["issue.ingested","pattern.detected"],"enabled":true,"description":"Ops alerts","inbound_url":null,
             "disabled_reason":null,"created_at":"{{Time}}","updated_at":"{{Time}}","filter":null,
             "signing_secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3bO5Om7cVjY="}
            """,
        [("Webhooks_TestFilter", "200")] = """{"matches":true}""",
        [("Events_Publish", "202")] = $$"""{"id":"{{Id}}"}""",
        [("Inbound_Receive", "202")] = $$"""{"id":"{{Id}}","duplicate":false}""",
        [("Inbound_Receive", "200")] = $$"""{"id":"{{Id}}","duplicate":true}""",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Description.ActionDescriptor is not ControllerActionDescriptor action)
        {
            return Task.CompletedTask;
        }

        var id = $"{action.ControllerName}_{action.ActionName}";
        if (Requests.TryGetValue(id, out var requests) && operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true)
        {
            media.Examples = requests.ToDictionary(r => r.Key, r => (IOpenApiExample)new OpenApiExample { Summary = r.Key, Value = JsonNode.Parse(r.Value) });
        }

        foreach (var ((operationId, status), body) in Responses)
        {
            if (operationId == id && operation.Responses?.TryGetValue(status, out var response) == true
                && response.Content?.TryGetValue("application/json", out var content) == true)
            {
                content.Example = JsonNode.Parse(body);
            }
        }

        return Task.CompletedTask;
    }
}
