namespace Causeloop.Domain.Inbound;

/// <summary>A request's headers as a read-only, case-insensitive lookup (no HTTP types in the domain).</summary>
public sealed class InboundHeaders
{
    private static readonly string[] None = [];
    private readonly Func<string, IReadOnlyList<string>> _lookup;

    public InboundHeaders(IEnumerable<KeyValuePair<string, string[]>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var values = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            values[name] = values.TryGetValue(name, out var existing) ? [.. existing, .. value] : value;
        }

        _lookup = name => values.TryGetValue(name, out var found) ? found : None;
    }

    /// <summary>Over a case-insensitive lookup the host already has (no copy of the headers).</summary>
    public InboundHeaders(Func<string, IReadOnlyList<string>> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        _lookup = lookup;
    }

    public static InboundHeaders Of(params (string Name, string Value)[] headers) =>
        new(headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase).Select(g => KeyValuePair.Create(g.Key, g.Select(h => h.Value).ToArray())));

    /// <summary>Every value of the header (empty when absent).</summary>
    public IReadOnlyList<string> Values(string name) => _lookup(name);

    /// <summary>The first non-blank value, trimmed, or null.</summary>
    public string? First(string name) => Values(name).Select(v => v.Trim()).FirstOrDefault(v => v.Length > 0);
}
