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
    private const string EventId = "0196f1a2-7c3d-7e4f-8a5b-0000000000e1";
    private const string InboundId = "0196f1a2-7c3d-7e4f-8a5b-0000000000a1";

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
            ["outbound, OAuth 2.0 client credentials and a static header"] = """
                {"url":"https://example.com/hooks/causeloop","event_types":["*"],"headers":{"X-Tenant":"acme"},
                 "auth":{"type":"oauth2_client_credentials","token_url":"https://auth.example.com/oauth/token","client_id":"causeloop",
                         "client_secret":"s3cr3t-from-your-identity-provider","scope":"webhooks:write","audience":"https://example.com/hooks"}}
                """,
            // A throwaway self-signed example certificate (valid until 2126) and its key: use your own.
            ["outbound, TLS client certificate (mTLS)"] = """
                {"url":"https://example.com/hooks/causeloop","event_types":["*"],
                 "auth":{"type":"mtls","certificate_pem":"-----BEGIN CERTIFICATE-----\nMIIBrzCCAVWgAwIBAgIUJmRE1O6Sgok6aGPhCxzMToDySvYwCgYIKoZIzj0EAwIw\nIzEhMB8GA1UEAwwYY2F1c2Vsb29wLWV4YW1wbGUtY2xpZW50MCAXDTI2MTIwNjA1\nMTg1N1oYDzIxMjYxMTEyMDUxODU3WjAjMSEwHwYDVQQDDBhjYXVzZWxvb3AtZXhh\nbXBsZS1jbGllbnQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARYFTH5qdVxUNJv\nvl6tOEfJ5phezUWFwx0xT31FHyr8I5U0WMHUp9feERcuvz1C1rwdqtnL8kBWWVri\n3tx/ZrH/o2UwYzAdBgNVHQ4EFgQU3ZFtGm4wey7vMr1l1oHTWHYC7c8wHwYDVR0j\nBBgwFoAU3ZFtGm4wey7vMr1l1oHTWHYC7c8wEwYDVR0lBAwwCgYIKwYBBQUHAwIw\nDAYDVR0TAQH/BAIwADAKBggqhkjOPQQDAgNIADBFAiEApAtgZ58tFWXP8osPYsxE\nbPhdboiTEy36NMkytuRgJTMCIAcpW60Aj+YLPXx5sn7ZX7cYeDcuyqjUTJPzIcof\nhwtk\n-----END CERTIFICATE-----","private_key_pem":"-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg2W4qy1eWaVhISoeQ\nRBfwblEdsLmSnJ5hGeCGOFpl/VyhRANCAARYFTH5qdVxUNJvvl6tOEfJ5phezUWF\nwx0xT31FHyr8I5U0WMHUp9feERcuvz1C1rwdqtnL8kBWWVri3tx/ZrH/\n-----END PRIVATE KEY-----"}}
                """,
        },
        ["Webhooks_Update"] = new Dictionary<string, string>
        {
            ["disable"] = """{"enabled":false}""",
            ["move and resubscribe"] = """{"url":"https://example.com/hooks/v2","event_types":["*"],"description":"v2 receiver"}""",
            ["replace the static headers"] = """{"headers":{"X-Tenant":"acme","X-Api-Key":"k_live_123"}}""",
            ["remove the headers and the auth"] = """{"headers":null,"auth":null}""",
            ["filter: jira or github sources"] = """{"filter":{"$or":[{"data.source":"jira"},{"data.source":{"$in":["github","gitlab"]}}]}}""",
            ["remove the filter"] = """{"filter":null}""",
            ["at most 50 deliveries a second"] = """{"rate_limit":50}""",
            ["remove the rate limit"] = """{"rate_limit":null}""",
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
        ["Webhooks_Recover"] = new Dictionary<string, string>
        {
            ["recover"] = $$"""{"since":"{{Time}}"}""",
            ["preview one type"] = $$"""{"since":"{{Time}}","until":"2026-11-30T12:00:00Z","event_types":["issue.ingested"],"dry_run":true}""",
        },
        ["Webhooks_Test"] = new Dictionary<string, string>
        {
            ["example event"] = """{"event_type":"sync.completed"}""",
        },
    };

    /// <summary>Success response examples by operation id and status.</summary>
    private static readonly Dictionary<(string, string), string> Responses = new()
    {
        [("Connectors_Create", "201")] = $$"""{"id":"{{ConnectorId}}","name":"Jira","kind":"custom","created_at":"{{Time}}"}""",
        [("Webhooks_Create", "201")] = $$"""
            {"id":"{{Id}}","url":"https://example.com/hooks/causeloop","connector_id":null,"direction":"outbound",
             "event_types":["issue.ingested","pattern.detected"],"enabled":true,"description":"Ops alerts","inbound_url":null,
             "disabled_reason":null,"created_at":"{{Time}}","updated_at":"{{Time}}","filter":null,"headers":null,"auth":null,"rate_limit":null,
             "signing_secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3bO5Om7cVjY="}
            """,
        [("Webhooks_TestFilter", "200")] = """{"matches":true}""",
        [("Webhooks_Get", "200")] = $$"""
            {"id":"{{Id}}","url":"https://example.com/hooks/causeloop","connector_id":null,"direction":"outbound",
             "event_types":["*"],"enabled":true,"description":null,"inbound_url":null,"disabled_reason":null,
             "created_at":"{{Time}}","updated_at":"{{Time}}","filter":null,"headers":{"X-Tenant":"***"},
             "auth":{"type":"oauth2_client_credentials","token_url":"https://auth.example.com/oauth/token","client_id":"causeloop",
                     "scope":"webhooks:write","audience":"https://example.com/hooks","token_endpoint_auth_method":"client_secret_basic"},
             "rate_limit":50
            }
            """,
        [("Events_Publish", "202")] = $$"""{"id":"{{Id}}"}""",
        [("Events_Get", "200")] = $$$"""
            {"id":"{{{EventId}}}","type":"issue.ingested","created_at":"{{{Time}}}",
             "data":{"inbound_event_id":"{{{InboundId}}}","connector_id":"{{{ConnectorId}}}","received_at":"{{{Time}}}",
                     "source":{"kind":"github","event_type":"issues","delivery_id":"72d3162e-cc78-11e3-81ab-4c9367dc0958"},"payload":{"action":"opened"}},
             "cause":{"kind":"inbound","connector_id":"{{{ConnectorId}}}","inbound_event_id":"{{{InboundId}}}"},
             "deliveries":[{"webhook_id":"{{{Id}}}","delivery_id":"0196f1a2-7c3d-7e4f-8a5b-0000000000d1","status":"succeeded","attempts":1,"last_status_code":200}]}
            """,
        [("Connectors_Event", "200")] = $$"""
            {"id":"{{InboundId}}","connector_id":"{{ConnectorId}}","event_id":"72d3162e-cc78-11e3-81ab-4c9367dc0958","content_type":"application/json",
             "user_agent":"GitHub-Hookshot/044aadd","payload":{"action":"opened"},"received_at":"{{Time}}",
             "source":{"kind":"github","event_type":"issues","delivery_id":"72d3162e-cc78-11e3-81ab-4c9367dc0958"},"caused_event_id":"{{EventId}}"}
            """,
        [("Webhooks_Recover", "202")] = """{"count":17}""",
        [("Webhooks_Recover", "200")] = $$"""{"count":2,"sample":[{"event_id":"{{EventId}}","type":"issue.ingested","created_at":"{{Time}}"},{"event_id":"0196f1a2-7c3d-7e4f-8a5b-0000000000e2","type":"issue.ingested","created_at":"2026-11-29T12:05:00Z"}]}""",
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
