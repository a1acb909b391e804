using System.Text.Json;

namespace Causeloop.Domain.Webhooks.Filters;

/// <summary>One node of a parsed <see cref="PayloadFilter"/>.</summary>
internal abstract record FilterNode
{
    public abstract bool Matches(JsonElement envelope);
}

/// <summary>Every part matches (an object's entries, or <c>$and</c>).</summary>
internal sealed record AllOf(IReadOnlyList<FilterNode> Parts) : FilterNode
{
    public override bool Matches(JsonElement envelope) => Parts.All(p => p.Matches(envelope));
}

/// <summary>At least one part matches (<c>$or</c>).</summary>
internal sealed record AnyOf(IReadOnlyList<FilterNode> Parts) : FilterNode
{
    public override bool Matches(JsonElement envelope) => Parts.Any(p => p.Matches(envelope));
}

/// <summary>One operator on the values at one path.</summary>
internal sealed record Condition(string[] Path, string Operator, JsonElement Operand) : FilterNode
{
    public override bool Matches(JsonElement envelope)
    {
        var values = FilterValues.At(envelope, Path);
        return Operator switch
        {
            "$eq" => values.Any(v => FilterValues.AreEqual(v, Operand)),
            "$neq" => !values.Any(v => FilterValues.AreEqual(v, Operand)),
            "$in" => values.Any(v => Operand.EnumerateArray().Any(o => FilterValues.AreEqual(v, o))),
            "$nin" => !values.Any(v => Operand.EnumerateArray().Any(o => FilterValues.AreEqual(v, o))),
            "$exist" => values.Count > 0 == Operand.GetBoolean(),
            "$gt" => values.Any(v => FilterValues.Compare(v, Operand) > 0),
            "$gte" => values.Any(v => FilterValues.Compare(v, Operand) >= 0),
            "$lt" => values.Any(v => FilterValues.Compare(v, Operand) is < 0 and not int.MinValue),
            "$lte" => values.Any(v => FilterValues.Compare(v, Operand) is <= 0 and not int.MinValue),
            _ => false,
        };
    }
}
