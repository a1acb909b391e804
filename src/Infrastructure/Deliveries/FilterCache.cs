using System.Collections.Concurrent;
using Causeloop.Domain.Webhooks.Filters;

namespace Causeloop.Infrastructure.Deliveries;

/// <summary>Parsed payload filters by their stored JSON, so the fan-out parses a webhook's filter once, not once per batch.</summary>
public sealed class FilterCache
{
    private const int MaxEntries = 20_000;
    private readonly ConcurrentDictionary<string, PayloadFilter> _parsed = new(StringComparer.Ordinal);

    public PayloadFilter Get(string json)
    {
        if (_parsed.TryGetValue(json, out var filter))
        {
            return filter;
        }

        if (_parsed.Count >= MaxEntries)
        {
            _parsed.Clear();
        }

        return _parsed.GetOrAdd(json, PayloadFilter.FromStored);
    }
}
