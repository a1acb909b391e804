namespace Causeloop.Domain.Access;

/// <summary>A permission an API key can carry, such as <c>webhooks:read</c>.</summary>
public sealed record Scope
{
    public static readonly Scope WebhooksRead = new("webhooks", ScopeLevel.Read);
    public static readonly Scope WebhooksAdmin = new("webhooks", ScopeLevel.Admin);
    public static readonly Scope ConnectorsRead = new("connectors", ScopeLevel.Read);
    public static readonly Scope ConnectorsAdmin = new("connectors", ScopeLevel.Admin);
    public static readonly Scope EventsWrite = new("events", ScopeLevel.Write);

    /// <summary>Every scope a key may be given.</summary>
    public static IReadOnlyList<Scope> All { get; } =
        [WebhooksRead, WebhooksAdmin, ConnectorsRead, ConnectorsAdmin, EventsWrite];

    private Scope(string resource, ScopeLevel level)
    {
        Resource = resource;
        Level = level;
    }

    public string Resource { get; }

    public ScopeLevel Level { get; }

    public string Value => $"{Resource}:{Level.ToString().ToLowerInvariant()}";

    public static bool TryParse(string? text, out Scope scope)
    {
        var match = All.FirstOrDefault(s => string.Equals(s.Value, text?.Trim(), StringComparison.Ordinal));
        scope = match!;
        return match is not null;
    }

    public static Scope Parse(string text) =>
        TryParse(text, out var scope) ? scope : throw new ArgumentException($"Unknown scope '{text}'.", nameof(text));

    /// <summary><c>X:admin</c> implies <c>X:read</c>; anything else implies only itself.</summary>
    public bool Implies(Scope other) =>
        this == other || (Resource == other.Resource && Level == ScopeLevel.Admin && other.Level == ScopeLevel.Read);

    public override string ToString() => Value;
}
