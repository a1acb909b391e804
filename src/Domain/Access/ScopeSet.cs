namespace Causeloop.Domain.Access;

/// <summary>The scopes a caller holds. <see cref="Permits"/> is the only place that decides access.</summary>
public sealed class ScopeSet
{
    private readonly Scope[] _scopes;

    public ScopeSet(IEnumerable<Scope> scopes) => _scopes = scopes.Distinct().ToArray();

    public static ScopeSet Empty { get; } = new([]);

    public IReadOnlyList<Scope> Scopes => _scopes;

    public bool Permits(Scope needed) => _scopes.Any(s => s.Implies(needed));

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
