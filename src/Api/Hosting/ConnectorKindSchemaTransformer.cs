using System.Text.Json.Nodes;
using Causeloop.Api.Contracts;
using Causeloop.Application.Connectors;
using Causeloop.Domain.Inbound;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Causeloop.Api.Hosting;

/// <summary>A connector's <c>kind</c> as the enum it is, with what each kind's sender does.</summary>
public sealed class ConnectorKindSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        var type = context.JsonTypeInfo.Type;
        if ((type == typeof(CreateConnectorRequest) || type == typeof(ConnectorDto))
            && schema.Properties?.TryGetValue("kind", out var kind) == true && kind is OpenApiSchema property)
        {
            property.Enum = [.. ConnectorKind.All.Select(k => (JsonNode)JsonValue.Create(k)!)];
            property.Description = "How the connector's inbound requests are verified and deduplicated:\n\n"
                + string.Join("\n", ConnectorKind.Descriptions.Select(d => $"- `{d.Key}`: {d.Value}"));
        }

        return Task.CompletedTask;
    }
}
