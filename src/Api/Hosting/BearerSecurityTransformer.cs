using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Causeloop.Api.Hosting;

/// <summary>Declares the bearer API-key scheme in the OpenAPI document and requires it on every operation but inbound.</summary>
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
            if (path.StartsWith("/v1/webhooks/inbound", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(requirement);
            }
        }

        return Task.CompletedTask;
    }
}
