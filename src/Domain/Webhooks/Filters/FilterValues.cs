using System.Text.Json;

namespace Causeloop.Domain.Webhooks.Filters;

/// <summary>What a path finds in an envelope, and typed equality and order of JSON values.</summary>
internal static class FilterValues
{
    /// <summary>
    /// The values at <paramref name="path"/>: dotted from the root; where the path meets an array, each element is
    /// followed; a value found that is an array stands for itself and for each of its elements.
    /// </summary>
    public static List<JsonElement> At(JsonElement root, string[] path)
    {
        var current = new List<JsonElement> { root };
        foreach (var segment in path)
        {
            var next = new List<JsonElement>();
            foreach (var value in current)
            {
                foreach (var item in value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : Enumerable.Repeat(value, 1))
                {
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty(segment, out var child))
                    {
                        next.Add(child);
                    }
                }
            }

            current = next;
        }

        var found = new List<JsonElement>(current);
        found.AddRange(current.Where(v => v.ValueKind == JsonValueKind.Array).SelectMany(v => v.EnumerateArray()));
        return found;
    }

    /// <summary>Typed equality: a number never equals a string; objects are equal whatever the order of their properties.</summary>
    public static bool AreEqual(JsonElement a, JsonElement b)
    {
        var kind = Kind(a);
        if (kind != Kind(b))
        {
            return false;
        }

        return a.ValueKind switch
        {
            JsonValueKind.Number => CompareNumbers(a, b) == 0,
            JsonValueKind.String => a.GetString() == b.GetString(),
            JsonValueKind.True or JsonValueKind.False => a.ValueKind == b.ValueKind,
            JsonValueKind.Null => true,
            JsonValueKind.Array => a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => AreEqual(p.First, p.Second)),
            JsonValueKind.Object => a.EnumerateObject().Count() == b.EnumerateObject().Count()
                && a.EnumerateObject().All(p => b.TryGetProperty(p.Name, out var other) && AreEqual(p.Value, other)),
            _ => false,
        };
    }

    /// <summary>The order of two numbers; <see cref="int.MinValue"/> when either is not a number (no order: never matches).</summary>
    public static int Compare(JsonElement value, JsonElement operand) =>
        value.ValueKind == JsonValueKind.Number && operand.ValueKind == JsonValueKind.Number ? CompareNumbers(value, operand) : int.MinValue;

    /// <summary>Exact (decimal) where both fit, else as doubles.</summary>
    private static int CompareNumbers(JsonElement a, JsonElement b) =>
        a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x.CompareTo(y) : a.GetDouble().CompareTo(b.GetDouble());

    private static JsonValueKind Kind(JsonElement e) => e.ValueKind == JsonValueKind.False ? JsonValueKind.True : e.ValueKind;
}
