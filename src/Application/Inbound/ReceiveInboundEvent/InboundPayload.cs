using System.Text;
using System.Text.Json;
using Causeloop.Application.Common;
using Causeloop.Domain.Inbound;

namespace Causeloop.Application.Inbound.ReceiveInboundEvent;

/// <summary>
/// A verified body, parsed: JSON for every kind; for <c>slack</c> also a form-encoded body, stored as a JSON object of
/// its fields (with a <c>payload</c> field that holds JSON parsed), and the <c>url_verification</c> handshake.
/// </summary>
public sealed record InboundPayload(byte[]? Json, string? Challenge)
{
    /// <summary>Null when the body is not valid for the kind. <see cref="Json"/> is null when the raw bytes are the JSON.</summary>
    public static InboundPayload? Parse(string kind, byte[] body, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (kind == ConnectorKind.Slack && IsForm(contentType))
        {
            return Form(body);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (!JsonText.IsUnicode(document.RootElement))
            {
                return null; // valid JSON syntax, but not text (a lone surrogate escape): no .NET string can read it
            }

            if (kind == ConnectorKind.Slack && document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "url_verification"
                && document.RootElement.TryGetProperty("challenge", out var challenge) && challenge.ValueKind == JsonValueKind.String)
            {
                return new InboundPayload(null, challenge.GetString());
            }

            return new InboundPayload(null, null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsForm(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static InboundPayload? Form(byte[] body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Decode(equals < 0 ? pair : pair[..equals]);
                var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
                if (!StoredText.IsClean(name, int.MaxValue) || !StoredText.IsClean(value, int.MaxValue))
                {
                    return null; // a NUL or half a surrogate pair (%00, %ED%A0%80) is no text jsonb can hold
                }

                if (name.Length == 0 || !seen.Add(name))
                {
                    continue;
                }

                if (name == "payload")
                {
                    try
                    {
                        using var json = JsonDocument.Parse(value);
                        if (!JsonText.IsStorableAsJsonb(json.RootElement))
                        {
                            return null;
                        }

                        writer.WritePropertyName(name);
                        json.RootElement.WriteTo(writer);
                        continue;
                    }
                    catch (JsonException)
                    {
                        return null;
                    }
                }

                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        return new InboundPayload(buffer.ToArray(), null);
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
