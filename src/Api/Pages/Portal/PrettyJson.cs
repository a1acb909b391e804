using System.Text;
using System.Text.Json;

namespace Causeloop.Api.Pages.Portal;

/// <summary>JSON indented for reading on a page; text that is not JSON (or was cut short) is shown as it is.</summary>
public static class PrettyJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Of(byte[]? bytes)
    {
        bytes ??= [];
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(bytes);
        }
    }

    public static string Of(string json) => Of(Encoding.UTF8.GetBytes(json ?? string.Empty));
}
