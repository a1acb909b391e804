namespace Causeloop.Domain.Inbound;

/// <summary>A request's headers as a read-only, case-insensitive lookup (no HTTP types in the domain).</summary>
public sealed class InboundHeaders
{
    private static readonly string[] None = [];
    private readonly Dictionary<string, string[]> _values;

    public InboundHeaders(IEnumerable<KeyValuePair<string, string[]>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _values = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            _values[name] = _values.TryGetValue(name, out var existing) ? [.. existing, .. values] : values;
        }
    }

    public static InboundHeaders Of(params (string Name, string Value)[] headers) =>
        new(headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase).Select(g => KeyValuePair.Create(g.Key, g.Select(h => h.Value).ToArray())));

    /// <summary>Every value of the header (empty when absent).</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var values) ? values : None;

    /// <summary>The first non-blank value, trimmed, or null.</summary>
    public string? First(string name) => Values(name).Select(v => v.Trim()).FirstOrDefault(v => v.Length > 0);
}
