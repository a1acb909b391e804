using System.Text.Json;

namespace Causeloop.Application.Common;

/// <summary>
/// JSON may escape half of a surrogate pair (<c>"\ud800"</c>): valid JSON syntax, but no Unicode text, which neither
/// .NET strings read from it nor Postgres accept. Bodies are checked here before their strings are read or stored.
/// </summary>
public static class JsonText
{
    /// <summary>Whether every string and property name in <paramref name="element"/> is well-formed Unicode.</summary>
    public static bool IsUnicode(JsonElement element) => Holds(element, allowNul: true);

    /// <summary>
    /// Whether Postgres can store <paramref name="element"/> as <c>jsonb</c>: well-formed Unicode, and no <c>\u0000</c>
    /// in any string or property name (jsonb refuses it).
    /// </summary>
    public static bool IsStorableAsJsonb(JsonElement element) => Holds(element, allowNul: false);

    private static bool Holds(JsonElement element, bool allowNul)
    {
        try
        {
            return Check(element, allowNul);
        }
        catch (InvalidOperationException)
        {
            return false; // reading a string with a lone surrogate throws
        }
    }

    private static bool Check(JsonElement element, bool allowNul)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = element.GetString()!; // throws on a lone surrogate
                return allowNul || !text.Contains('\0', StringComparison.Ordinal);
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!Check(item, allowNul))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = property.Name; // throws on a lone surrogate
                    if ((!allowNul && name.Contains('\0', StringComparison.Ordinal)) || !Check(property.Value, allowNul))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }
}
