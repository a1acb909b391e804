using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Causeloop.Api.Hosting;

/// <summary>
/// Declares the bearer API-key scheme in the OpenAPI document, requires it on every operation but inbound, and
/// documents the answers that come with it (401, 403, and 400 for a bad page request), the 415 of every JSON body,
/// the 503 any operation can answer, and the inbound operation's raw request body (read as bytes, so the framework
/// cannot describe it).
/// </summary>
public sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key: Authorization: Bearer <key>. Scopes: webhooks:read, webhooks:admin, connectors:read, connectors:admin, events:write.",
        };
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] };
        foreach (var (path, item) in document.Paths)
        {
            if (item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Responses ??= [];
                Document(operation, document, "400", "A malformed request: a body that is not valid JSON, an unknown field, an invalid value or query parameter.");
                Document(operation, document, "503", "The database cannot be reached or the service is stopping; nothing was changed. Retry after Retry-After.");
                if (operation.RequestBody is not null)
                {
                    Document(operation, document, "415", "The body is not sent as JSON (Content-Type: application/json).");
                }
            }

            if (path.StartsWith("/v1/webhooks/inbound", StringComparison.Ordinal))
            {
                foreach (var operation in item.Operations.Values)
                {
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Description = "The source system's event, exactly as it sends it: a JSON document (at most 1 MiB by default), "
                            + "signed over its raw bytes as the connector's kind requires. Any content type is read; the body must parse as "
                            + "JSON once verified (a slack connector also takes application/x-www-form-urlencoded).",
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new()
                            {
                                Schema = new OpenApiSchema(),
                                Example = System.Text.Json.Nodes.JsonNode.Parse("""{"issue":{"key":"OPS-42","status":"open"}}"""),
                            },
                        },
                    };

                    // Slack's url_verification handshake is answered 200 {"challenge"} instead of a receipt.
                    if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content?.TryGetValue("application/json", out var media) == true
                        && media.Schema is { } receipt)
                    {
                        media.Schema = new OpenApiSchema
                        {
                            OneOf =
                            [
                                receipt,
                                new OpenApiSchema
                                {
                                    Type = JsonSchemaType.Object,
                                    Description = "Slack's url_verification handshake: the challenge, echoed; nothing stored.",
                                    Properties = new Dictionary<string, IOpenApiSchema> { ["challenge"] = new OpenApiSchema { Type = JsonSchemaType.String } },
                                    Required = new HashSet<string> { "challenge" },
                                },
                            ],
                        };
                    }
                }

                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(requirement);
                // Every operation with a key can answer these; say so, so a generated client expects them.
                operation.Responses ??= [];
                Document(operation, document, "401", "No API key, or an unknown or revoked one (WWW-Authenticate: Bearer error=\"invalid_token\").");
                Document(operation, document, "403", "The key lacks the scope this operation needs (named in WWW-Authenticate).");
                if (operation.Parameters?.Any(p => p.Name is "limit" or "cursor") == true)
                {
                    Document(operation, document, "400", "A bad limit, cursor or filter.");
                }
            }
        }

        return Task.CompletedTask;
    }

    private static void Document(OpenApiOperation operation, OpenApiDocument document, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
            },
        };
    }
}
