using System.Text.Json;

namespace Causeloop.Domain.Webhooks.Filters;

/// <summary>
/// A webhook's payload filter (SPEC §16), a subset of Convoy's: <c>{"path": value}</c> (equality), an operator object
/// <c>{"path": {"$eq"|"$neq"|"$gt"|"$gte"|"$lt"|"$lte": v, "$in"|"$nin": [..], "$exist": bool}}</c>, and <c>"$or"</c> /
/// <c>"$and"</c> with lists of filters; several entries of one object must all match. A path is dotted from the envelope's
/// root (<c>data.order.total</c>, <c>type</c>); where it meets an array, any element may match. Comparisons are typed (a
/// number never equals a string); <c>$gt $gte $lt $lte</c> take numbers only. <c>$neq</c> and <c>$nin</c> match when no
/// value at the path equals (a missing path included); <c>$exist</c> asks whether the path holds a value (null is one).
/// At most <see cref="MaxBytes"/>, <see cref="MaxDepth"/> levels of filters and <see cref="MaxConditions"/> conditions.
/// </summary>
public sealed class PayloadFilter
{
    public const int MaxBytes = 4096;
    public const int MaxDepth = 5;
    public const int MaxConditions = 50;

    private readonly FilterNode _root;

    private PayloadFilter(FilterNode root, string json)
    {
        _root = root;
        Json = json;
    }

    /// <summary>The filter as stored and answered: compact JSON.</summary>
    public string Json { get; }

    /// <summary>Parses and checks a filter; the error says what is wrong and where (null when it is a filter).</summary>
    public static PayloadFilter? Parse(JsonElement element, out string? error)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            element.WriteTo(writer);
        }

        if (buffer.Length > MaxBytes)
        {
            error = $"filter: at most 4 KiB ({MaxBytes} bytes) as compact JSON; this one has {buffer.Length}.";
            return null;
        }

        var parser = new FilterParser();
        var root = parser.Parse(element, "filter", 1);
        if (parser.Error is null && parser.Conditions > MaxConditions)
        {
            error = $"filter: at most {MaxConditions} conditions (this one has {parser.Conditions}).";
            return null;
        }

        error = parser.Error;
        return error is null ? new PayloadFilter(root!, System.Text.Encoding.UTF8.GetString(buffer.ToArray())) : null;
    }

    /// <summary>Parses a stored filter (already checked when it was stored).</summary>
    public static PayloadFilter FromStored(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement, out var error) ?? throw new InvalidOperationException($"A stored filter no longer parses: {error}");
    }

    /// <summary>Whether <paramref name="envelope"/> (the event as delivered: <c>{"id","type","created_at","data"}</c>) matches.</summary>
    public bool Matches(JsonElement envelope) => _root.Matches(envelope);
}
