namespace Causeloop.Domain.Webhooks;

/// <summary>The event types an outbound webhook subscribes to: a non-empty set from the catalog, or <c>["*"]</c>.</summary>
public static class EventTypeFilter
{
    public const int MaxCount = 50;

    /// <summary>Returns null when the list is acceptable, else the reason.</summary>
    public static string? Validate(IReadOnlyList<string>? types)
    {
        if (types is null || types.Count == 0)
        {
            return "At least one event type is required (or [\"*\"] for all).";
        }

        if (types.Count > MaxCount)
        {
            return $"At most {MaxCount} event types.";
        }

        if (types.Contains(EventType.Wildcard))
        {
            return types.Count == 1 ? null : "\"*\" cannot be combined with other event types.";
        }

        var unknown = types.Where(t => !EventType.IsKnown(t)).ToArray();
        if (unknown.Length > 0)
        {
            return $"Unknown event type(s): {string.Join(", ", unknown)}. See GET /v1/event-types.";
        }

        return types.Distinct(StringComparer.Ordinal).Count() == types.Count ? null : "Event types must not repeat.";
    }

    /// <summary>Whether a webhook subscribed to <paramref name="subscribed"/> gets <paramref name="eventType"/> (<c>"*"</c> excludes operational events).</summary>
    public static bool Matches(IReadOnlyList<string> subscribed, string eventType) =>
        subscribed.Contains(eventType) || (subscribed.Contains(EventType.Wildcard) && !EventType.IsOperational(eventType));
}
