using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Causeloop.Domain.Inbound;

/// <summary>The pieces every scheme shares: HMAC-SHA256 over a prefix and the body, decoding, constant-time matching.</summary>
internal static class Mac
{
    public const int Size = 32;

    /// <summary>Signatures looked at per request at most (each costs an HMAC per live secret).</summary>
    public const int MaxPresented = 5;

    public static byte[] Compute(byte[] key, string prefix, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(prefix));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    /// <summary>Whether any presented signature equals the expected one under any key; every pair is compared, no early exit.</summary>
    public static bool AnyMatches(IEnumerable<byte[]> keys, string prefix, ReadOnlySpan<byte> body, IReadOnlyList<byte[]> presented)
    {
        var matched = false;
        foreach (var key in keys)
        {
            var expected = Compute(key, prefix, body);
            foreach (var signature in presented)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
            }
        }

        return matched;
    }

    public static bool TryHex(string? text, out byte[] bytes)
    {
        bytes = [];
        text = text?.Trim();
        if (text is not { Length: Size * 2 })
        {
            return false;
        }

        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static bool TryBase64(string? text, out byte[] bytes)
    {
        bytes = [];
        var buffer = new byte[Size + 3];
        if (string.IsNullOrWhiteSpace(text) || !Convert.TryFromBase64String(text.Trim(), buffer, out var written) || written != Size)
        {
            return false;
        }

        bytes = buffer[..Size];
        return true;
    }

    /// <summary>Equality of two secrets' bytes in constant time (lengths hidden by hashing both first).</summary>
    public static bool SecretEquals(byte[] expected, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(expected), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    public static bool WithinTolerance(long unixSeconds, DateTimeOffset now, TimeSpan tolerance) =>
        Math.Abs(now.ToUnixTimeSeconds() - unixSeconds) <= tolerance.TotalSeconds;

    /// <summary>A string (or number, as text) at <paramref name="path"/> of a JSON body; null when absent or not JSON.</summary>
    public static string? JsonValue(ReadOnlyMemory<byte> body, params string[] path)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var element = document.RootElement;
            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }

            return element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number => element.GetRawText(),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null; // not JSON, or a string that is not Unicode text (a lone surrogate escape)
        }
    }
}
