using Causeloop.Domain.Access;

namespace Causeloop.Domain.Portal;

/// <summary>
/// What a portal session may do: <c>read</c> (always), <c>manage</c> (redeliver, recover, test, enable/disable; add, edit
/// and delete endpoints; send example events), <c>secrets</c> (reveal and rotate), both (change the endpoint's
/// authentication and headers, whose values are secrets: SPEC §17). The portal shows only the actions a session's
/// capabilities allow, and the server refuses the others.
/// </summary>
public static class PortalCapability
{
    public const string Read = "read";
    public const string Manage = "manage";
    public const string Secrets = "secrets";

    public static IReadOnlyList<string> All { get; } = [Read, Manage, Secrets];

    public static readonly TimeSpan MinLifetime = TimeSpan.FromSeconds(300);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(604_800);
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(86_400);

    /// <summary>The session's capabilities: <c>read</c> always, plus the known ones asked for; null when one is unknown.</summary>
    public static IReadOnlyList<string>? Normalise(IReadOnlyList<string>? requested)
    {
        if (requested?.Any(c => !All.Contains(c)) == true)
        {
            return null;
        }

        return [.. All.Where(c => c == Read || requested?.Contains(c) == true)];
    }

    /// <summary>
    /// What a session's capabilities stand for, never more than the key that opened it held (<paramref name="key"/>):
    /// <c>read</c> → webhooks:read and connectors:read, <c>manage</c> and <c>secrets</c> → webhooks:admin; each kept only
    /// when the key permitted it.
    /// </summary>
    public static IReadOnlyList<Scope> ScopesOf(IReadOnlyList<string> capabilities, ScopeSet key)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(key);
        Scope[] wanted = capabilities.Contains(Manage) || capabilities.Contains(Secrets)
            ? [Scope.WebhooksRead, Scope.ConnectorsRead, Scope.WebhooksAdmin]
            : [Scope.WebhooksRead, Scope.ConnectorsRead];
        return [.. wanted.Where(key.Permits)];
    }

    /// <summary>The session's capabilities that the key that opened it could use: <c>manage</c> and <c>secrets</c> need its webhooks:admin.</summary>
    public static IReadOnlyList<string> CappedBy(IReadOnlyList<string> capabilities, ScopeSet key)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(key);
        return [.. capabilities.Where(c => c == Read || key.Permits(Scope.WebhooksAdmin))];
    }

    /// <summary>The capabilities an action needs, all of them.</summary>
    public static IReadOnlyList<string> Needs(PortalAction action) => action switch
    {
        PortalAction.RevealSecret or PortalAction.RotateSecret => [Secrets],
        PortalAction.UseOAuth2 or PortalAction.UseClientCertificate or PortalAction.RemoveAuthentication or PortalAction.SaveHeaders => [Manage, Secrets],
        _ => [Manage],
    };
}
