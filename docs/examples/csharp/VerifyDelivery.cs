// Verify a Causeloop delivery in C# (.NET 8+, no packages). Use either check; both are shown.
// The test suite compiles this file into a real receiver and runs deliveries through it.
using System.Security.Cryptography;
using System.Text;

namespace Causeloop.Examples;

public static class VerifyDelivery
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>x-causeloop-signature: hex(HMAC-SHA256(UTF-8 of the whole secret string, raw body)).</summary>
    public static bool VerifyCauseloop(string signingSecret, byte[] body, string? header)
    {
        byte[] expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), body);
        byte[] presented;
        try
        {
            presented = Convert.FromHexString(header ?? "");
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    /// <summary>
    /// webhook-signature (Standard Webhooks): "v1," + base64(HMAC-SHA256(base64-decoded secret after whsec_,
    /// "{webhook-id}.{webhook-timestamp}.{body}")), one entry per live secret, space-separated.
    /// </summary>
    public static bool VerifyStandardWebhook(string signingSecret, byte[] body, string? id, string? timestamp, string? header, DateTimeOffset now)
    {
        if (id is null || header is null || !long.TryParse(timestamp, out long seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return false; // missing headers, or an old (replayed) delivery
        }

        byte[] key = Convert.FromBase64String(signingSecret["whsec_".Length..]);
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. body];
        byte[] expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
        return header.Split(' ').Any(entry => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(entry)));
    }
}
