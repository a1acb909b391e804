using Causeloop.Application.Common;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Causeloop.Api.Hosting;

/// <summary>A PATCH field is, on the wire, just its value (or absent): describe it as the value's schema.</summary>
public sealed class PatchFieldSchemaTransformer : IOpenApiSchemaTransformer
{
    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        var type = context.JsonTypeInfo.Type;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(PatchField<>))
        {
            return;
        }

        var inner = await context.GetOrCreateSchemaAsync(type.GetGenericArguments()[0], null, cancellationToken);
        if (inner.AnyOf is { Count: > 0 } || inner.AdditionalProperties is not null)
        {
            // An object replaced whole (headers, auth): its schema, or null, which removes it.
            schema.Type = null;
            schema.Required = null;
            schema.OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, inner];
            schema.Description = "Optional: leave it out to keep the current value; null removes it.";
            return;
        }

        schema.Type = inner.Type;
        schema.Format = inner.Format;
        schema.Items = inner.Items;
        schema.Properties = inner.Properties;
        schema.Required = inner.Required;
        schema.AdditionalPropertiesAllowed = inner.AdditionalPropertiesAllowed;
        schema.AdditionalProperties = inner.AdditionalProperties;
        schema.Description = "Optional: leave it out to keep the current value.";
        if (type.GetGenericArguments()[0] == typeof(System.Text.Json.JsonElement?))
        {
            // A free-form object that may be set to null to remove it (a webhook's filter).
            schema.Type = JsonSchemaType.Object | JsonSchemaType.Null;
            schema.AdditionalProperties = new OpenApiSchema(); // any members, of any type
            schema.Description = "Optional: leave it out to keep the current value; null removes it.";
        }
    }
}
