using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Causeloop.Api.Hosting;

/// <summary>
/// A polymorphic type (<see cref="JsonPolymorphicAttribute"/>: a webhook's <c>auth</c>) is one of its shapes, told apart by
/// its discriminator (<c>type</c>), which each shape requires. Never the base itself: a request base refuses JSON without a
/// <c>type</c> (<see cref="Contracts.EndpointAuthRequest"/>), so it is taken out of the alternatives the generator lists.
/// </summary>
public sealed class PolymorphicSchemaTransformer : IOpenApiSchemaTransformer
{
    private const string SchemaId = "x-schema-id";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        var type = context.JsonTypeInfo.Type;
        if (type.GetCustomAttribute<JsonPolymorphicAttribute>(inherit: false) is { } polymorphic && schema.AnyOf is { Count: > 0 } shapes)
        {
            // The generator names a shape's component after the base and the shape (EndpointAuthRequestMutualTlsAuthRequest).
            var discriminator = polymorphic.TypeDiscriminatorPropertyName ?? "$type";
            var prefix = schema.Metadata?.TryGetValue(SchemaId, out var baseId) == true && baseId is string name ? name : type.Name;
            var mapping = new Dictionary<string, OpenApiSchemaReference>();
            foreach (var shape in shapes.OfType<OpenApiSchema>().ToArray())
            {
                if (shape.Properties?.TryGetValue(discriminator, out var property) == true && property.Enum is [var value, ..]
                    && shape.Metadata?.TryGetValue(SchemaId, out var id) == true && id is string schemaId)
                {
                    mapping[value.GetValue<string>()] = new OpenApiSchemaReference(prefix + schemaId);
                }
                else
                {
                    shapes.Remove(shape);
                }
            }

            schema.Type = JsonSchemaType.Object;
            schema.Required = new HashSet<string> { discriminator };
            schema.Discriminator = new OpenApiDiscriminator { PropertyName = discriminator, Mapping = mapping };
        }
        else if (type.BaseType?.GetCustomAttribute<JsonPolymorphicAttribute>(inherit: false) is { } parent)
        {
            var discriminator = parent.TypeDiscriminatorPropertyName ?? "$type";
            schema.Type = JsonSchemaType.Object;
            schema.Required ??= new HashSet<string>();
            schema.Required.Add(discriminator);
        }

        return Task.CompletedTask;
    }
}
