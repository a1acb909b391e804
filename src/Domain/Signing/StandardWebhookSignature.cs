using System.Security.Cryptography;
using System.Text;

namespace Causeloop.Domain.Signing;

/// <summary>
/// The Standard Webhooks signature: <c>v1,</c> + base64(HMAC-SHA256(base64-decoded secret,
/// "{webhook-id}.{webhook-timestamp}.{body}")), one entry per live secret, space-separated.
/// </summary>
public static class StandardWebhookSignature
{
    public const string Version = "v1";

    public static string Sign(SigningSecret secret, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        // Incremental, so the body is hashed where it lies instead of being copied behind the prefix.
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret.StandardKey);
        hmac.AppendData(Encoding.UTF8.GetBytes($"{messageId}.{timestamp}."));
        hmac.AppendData(body);
        Span<byte> hash = stackalloc byte[32];
        hmac.GetHashAndReset(hash);
        return Version + "," + Convert.ToBase64String(hash);
    }

    /// <summary>The <c>webhook-signature</c> header value: one signature per live secret.</summary>
    public static string Header(IEnumerable<SigningSecret> secrets, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var parts = new List<string>();
        foreach (var secret in secrets)
        {
            parts.Add(Sign(secret, messageId, timestamp, body));
        }

        return string.Join(' ', parts);
    }

    /// <summary>True when any <c>v1</c> entry of <paramref name="header"/> matches under <paramref name="secret"/>.</summary>
    public static bool Verify(SigningSecret secret, string messageId, long timestamp, ReadOnlySpan<byte> body, string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, messageId, timestamp, body));
        var matched = false;
        foreach (var entry in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            matched |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(entry));
        }

        return matched;
    }
}
