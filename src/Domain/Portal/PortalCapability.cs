using System.Security.Cryptography;

namespace Causeloop.Domain.Portal;

/// <summary>
/// What a portal session may do: <c>read</c> (always), <c>manage</c> (redeliver, recover, test, enable/disable),
/// <c>secrets</c> (reveal and rotate). The portal shows only the actions a session's capabilities allow, and the
/// server refuses the others.
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

    /// <summary>The capability an action needs.</summary>
    public static string For(PortalAction action) => action switch
    {
        PortalAction.RevealSecret or PortalAction.RotateSecret => Secrets,
        _ => Manage,
    };
}

/// <summary>The portal's actions, each a button with exactly the text of <see cref="PortalActions.Label"/>.</summary>
public enum PortalAction
{
    Redeliver,
    SendTestEvent,
    Recover,
    Disable,
    Enable,
    RotateSecret,
    RevealSecret,
}

public static class PortalActions
{
    public static string Label(PortalAction action) => action switch
    {
        PortalAction.Redeliver => "Redeliver",
        PortalAction.SendTestEvent => "Send test event",
        PortalAction.Recover => "Recover",
        PortalAction.Disable => "Disable",
        PortalAction.Enable => "Enable",
        PortalAction.RotateSecret => "Rotate secret",
        PortalAction.RevealSecret => "Reveal secret",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };
}

/// <summary>
/// A portal credential (the one-time link token, or the session cookie): 32 random bytes, base64url; only its SHA-256
/// is stored, so a database dump opens no session.
/// </summary>
public static class PortalSecret
{
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value));
    }
}
