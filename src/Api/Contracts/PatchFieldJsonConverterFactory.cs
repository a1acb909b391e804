using System.Text.Json;
using System.Text.Json.Serialization;
using Causeloop.Application.Common;

namespace Causeloop.Api.Contracts;

/// <summary>Reads a PATCH field: a property that is absent stays <see cref="PatchField{T}.Absent"/>; a present one, even null, is kept.</summary>
public sealed class PatchFieldJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(PatchField<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(PatchFieldConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class PatchFieldConverter<T> : JsonConverter<PatchField<T>>
    {
        public override bool HandleNull => true;

        public override PatchField<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            try
            {
                return new PatchField<T>(true, JsonSerializer.Deserialize<T>(ref reader, options)!);
            }
            catch (JsonException e)
            {
                // Rethrown without the inner path so the serializer reports the property's own ($.enabled); what went wrong
                // inside an object value (auth) is kept in words.
                if (e.Message == EndpointAuthRequest.TypeRequired)
                {
                    throw new JsonException(e.Message);
                }

                if (e.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) && e.Path is { Length: > 2 } path)
                {
                    throw new JsonException($"Unknown field {path[2..]}.");
                }

                throw new JsonException();
            }
        }

        public override void Write(Utf8JsonWriter writer, PatchField<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}
