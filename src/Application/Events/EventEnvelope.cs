using System.Globalization;
using System.Text.Json;

namespace Causeloop.Application.Events;

/// <summary>The body every delivery of an event carries: <c>{"id","type","created_at","data"}</c>, serialised once.</summary>
public static class EventEnvelope
{
    /// <summary>An envelope whose <c>data</c> is an object written by <paramref name="writeDataProperties"/>.</summary>
    public static byte[] Serialize(Guid id, string type, DateTimeOffset createdAt, Action<Utf8JsonWriter> writeDataProperties)
    {
        ArgumentNullException.ThrowIfNull(writeDataProperties);
        return Write(id, type, createdAt, writer =>
        {
            writer.WriteStartObject();
            writeDataProperties(writer);
            writer.WriteEndObject();
        });
    }

    /// <summary>An envelope whose <c>data</c> is the given JSON value.</summary>
    public static byte[] Serialize(Guid id, string type, DateTimeOffset createdAt, JsonElement data) =>
        Write(id, type, createdAt, data.WriteTo);

    private static byte[] Write(Guid id, string type, DateTimeOffset createdAt, Action<Utf8JsonWriter> writeData)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("type", type);
            writer.WriteString("created_at", createdAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            writer.WritePropertyName("data");
            writeData(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
