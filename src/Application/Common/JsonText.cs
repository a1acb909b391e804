using System.Text.Json;

namespace Causeloop.Application.Common;

/// <summary>
/// JSON may escape half of a surrogate pair (<c>"\ud800"</c>): valid JSON syntax, but no Unicode text, which neither
/// .NET strings read from it nor Postgres accept. Bodies are checked here before their strings are read or stored.
/// </summary>
public static class JsonText
{
    /// <summary>Whether every string and property name in <paramref name="element"/> is well-formed Unicode.</summary>
    public static bool IsUnicode(JsonElement element)
    {
        try
        {
            return Check(element);
        }
        catch (InvalidOperationException)
        {
            return false; // reading a string with a lone surrogate throws
        }
    }

    private static bool Check(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!Check(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    if (!Check(property.Value))
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
