using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Causeloop.Api.Hosting;

/// <summary>
/// Every free-form JSON value of the contract (an event's <c>data</c>, a webhook's <c>filter</c>) is an object: say so,
/// rather than the empty schema, which would also match <c>null</c> and make a nullable one ambiguous.
/// </summary>
public sealed class JsonObjectSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonTypeInfo.Type == typeof(JsonElement))
        {
            schema.Type = JsonSchemaType.Object;
            schema.AdditionalPropertiesAllowed = true;
            schema.AdditionalProperties = new OpenApiSchema(); // any members, of any type
        }

        return Task.CompletedTask;
    }
}
