namespace Causeloop.Domain.Access;

/// <summary>
/// The scopes a caller holds and, for a portal session (§12), the capabilities it was given. <see cref="Permits(Scope)"/>
/// and <see cref="Permits(Scope, string?)"/> are the only places that decide access.
/// </summary>
public sealed class ScopeSet
{
    private readonly Scope[] _scopes;
    private readonly string[]? _capabilities;

    /// <summary>An API key's scopes: it may send every message its scopes permit.</summary>
    public ScopeSet(IEnumerable<Scope> scopes)
        : this(scopes, null)
    {
    }

    private ScopeSet(IEnumerable<Scope> scopes, IEnumerable<string>? capabilities)
    {
        _scopes = scopes.Distinct().ToArray();
        _capabilities = capabilities?.Distinct().ToArray();
    }

    /// <summary>
    /// A portal session's scopes and capabilities (<c>read</c>, <c>manage</c>, <c>secrets</c>): beyond reading, it may send
    /// only the messages that name one of its capabilities, whatever its scopes.
    /// </summary>
    public static ScopeSet ForPortal(IEnumerable<Scope> scopes, IEnumerable<string> capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        return new ScopeSet(scopes, capabilities);
    }

    public static ScopeSet Empty { get; } = new([]);

    public IReadOnlyList<Scope> Scopes => _scopes;

    /// <summary>A portal session's capabilities; null for an API key.</summary>
    public IReadOnlyList<string>? Capabilities => _capabilities;

    public bool IsPortalSession => _capabilities is not null;

    public bool Permits(Scope needed) => _scopes.Any(s => s.Implies(needed));

    /// <summary>
    /// Whether a message that needs <paramref name="needed"/> and names the portal capability <paramref name="capability"/>
    /// (null when it names none) is permitted: an API key by its scopes alone; a portal session also needs that capability,
    /// and a message that names none only when it reads.
    /// </summary>
    public bool Permits(Scope needed, string? capability)
    {
        ArgumentNullException.ThrowIfNull(needed);
        return Permits(needed)
            && (_capabilities is null || (capability is null ? needed.Level == ScopeLevel.Read : _capabilities.Contains(capability)));
    }

    /// <summary>Parses a comma-separated list; unknown names are returned so the caller can refuse them.</summary>
    public static ScopeSet Parse(IEnumerable<string> names, out IReadOnlyList<string> unknown)
    {
        var scopes = new List<Scope>();
        var bad = new List<string>();
        foreach (var name in names.Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            if (Scope.TryParse(name, out var scope))
            {
                scopes.Add(scope);
            }
            else
            {
                bad.Add(name);
            }
        }

        unknown = bad;
        return new ScopeSet(scopes);
    }
}
