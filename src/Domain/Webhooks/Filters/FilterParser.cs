using System.Text.Json;

namespace Causeloop.Domain.Webhooks.Filters;

/// <summary>Reads a filter's JSON into <see cref="FilterNode"/>s, stopping at the first thing that is wrong, said with where.</summary>
internal sealed class FilterParser
{
    private static readonly string[] Comparisons = ["$eq", "$neq", "$gt", "$gte", "$lt", "$lte"];
    private static readonly string[] Numeric = ["$gt", "$gte", "$lt", "$lte"];

    public string? Error { get; private set; }

    public int Conditions { get; private set; }

    /// <summary>A filter object at <paramref name="where"/>, <paramref name="depth"/> levels of filters deep.</summary>
    public FilterNode? Parse(JsonElement filter, string where, int depth)
    {
        if (filter.ValueKind != JsonValueKind.Object)
        {
            return Fail(where, "a filter is a JSON object");
        }

        if (depth > PayloadFilter.MaxDepth)
        {
            return Fail(where, $"filters nest at most {PayloadFilter.MaxDepth} deep");
        }

        var parts = new List<FilterNode>();
        foreach (var entry in filter.EnumerateObject())
        {
            var at = $"{where}.{entry.Name}";
            var part = entry.Name switch
            {
                "$or" or "$and" => Logical(entry, at, depth),
                var name when name.StartsWith('$') => Fail(at, $"unknown operator {name} (use $or or $and here, or a dotted path)"),
                _ => Path(entry, at),
            };
            if (part is null)
            {
                return null;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? Fail(where, "a filter needs at least one condition") : parts.Count == 1 ? parts[0] : new AllOf(parts);
    }

    private FilterNode? Logical(JsonProperty entry, string where, int depth)
    {
        if (entry.Value.ValueKind != JsonValueKind.Array || entry.Value.GetArrayLength() == 0)
        {
            return Fail(where, $"{entry.Name} takes a non-empty list of filters");
        }

        var parts = new List<FilterNode>();
        var i = 0;
        foreach (var item in entry.Value.EnumerateArray())
        {
            if (Parse(item, $"{where}[{i++}]", depth + 1) is not { } part)
            {
                return null;
            }

            parts.Add(part);
        }

        return entry.Name == "$or" ? new AnyOf(parts) : new AllOf(parts);
    }

    private FilterNode? Path(JsonProperty entry, string where)
    {
        var path = entry.Name.Split('.');
        if (path.Any(s => s.Length == 0 || s.StartsWith('$')))
        {
            return Fail(where, "a path is dot-separated names, none empty or starting with $ (e.g. data.order.total)");
        }

        var value = entry.Value;
        var names = value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().Select(p => p.Name).ToList() : [];
        if (names.Count == 0 || !names.Any(n => n.StartsWith('$')))
        {
            Conditions++;
            return new Condition(path, "$eq", value.Clone());
        }

        if (!names.All(n => n.StartsWith('$')))
        {
            return Fail(where, "an operator object holds only operators ($eq, $neq, $gt, $gte, $lt, $lte, $in, $nin, $exist)");
        }

        var conditions = new List<FilterNode>();
        foreach (var op in value.EnumerateObject())
        {
            if (Operator(path, op, $"{where}.{op.Name}") is not { } condition)
            {
                return null;
            }

            Conditions++;
            conditions.Add(condition);
        }

        return conditions.Count == 1 ? conditions[0] : new AllOf(conditions);
    }

    private Condition? Operator(string[] path, JsonProperty op, string where)
    {
        var operand = op.Value;
        if (Numeric.Contains(op.Name) && operand.ValueKind != JsonValueKind.Number)
        {
            return Fail(where, $"{op.Name} takes a number");
        }

        if (op.Name is "$in" or "$nin" && operand.ValueKind != JsonValueKind.Array)
        {
            return Fail(where, $"{op.Name} takes a list of values");
        }

        if (op.Name == "$exist" && operand.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Fail(where, "$exist takes true or false");
        }

        if (!Comparisons.Contains(op.Name) && op.Name is not ("$in" or "$nin" or "$exist"))
        {
            return Fail(where, $"unknown operator {op.Name} (known: {string.Join(", ", Comparisons)}, $in, $nin, $exist)");
        }

        return new Condition(path, op.Name, operand.Clone());
    }

    private Condition? Fail(string where, string message)
    {
        Error ??= $"{where}: {message}.";
        return null;
    }
}
