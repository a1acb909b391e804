using System.Security.Cryptography;

namespace Causeloop.Domain.Portal;

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
