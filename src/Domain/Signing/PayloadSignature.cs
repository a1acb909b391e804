using System.Security.Cryptography;

namespace Causeloop.Domain.Signing;

/// <summary>
/// The Causeloop signature: <c>x-causeloop-signature</c> = lower-case hex of
/// HMAC-SHA256(UTF-8 bytes of the whole secret string, raw body). Verification accepts either hex case.
/// </summary>
public static class PayloadSignature
{
    public const string HeaderName = "x-causeloop-signature";
    private const int HashSize = 32;

    public static string Sign(SigningSecret secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Sign(secret.CauseloopKey, body);
    }

    /// <summary>The signature under a raw key (for keys that are not whsec_ strings, such as published test vectors).</summary>
    public static string Sign(byte[] key, ReadOnlySpan<byte> body) => Convert.ToHexStringLower(HMACSHA256.HashData(key, body));

    /// <summary>True when <paramref name="header"/> is the signature of <paramref name="body"/> under any live secret.</summary>
    public static bool Verify(IEnumerable<SigningSecret> secrets, ReadOnlySpan<byte> body, string? header) =>
        Verify(secrets.Select(s => s.CauseloopKey), body, header);

    /// <summary>True when <paramref name="header"/> is the signature of <paramref name="body"/> under any of the raw keys.</summary>
    public static bool Verify(IEnumerable<byte[]> keys, ReadOnlySpan<byte> body, string? header)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!TryDecodeHex(header, out var presented))
        {
            return false;
        }

        var matched = false;
        foreach (var key in keys)
        {
            var expected = HMACSHA256.HashData(key, body);
            // No early exit: every live secret is checked so timing does not tell which one matched.
            matched |= CryptographicOperations.FixedTimeEquals(expected, presented);
        }

        return matched;
    }

    /// <summary>Header values considered at most; a request with more is refused (each costs an HMAC per live secret).</summary>
    public const int MaxSignatures = 5;

    /// <summary>
    /// True when any of the presented signatures verifies, as multi-signature schemes do: the header may be repeated
    /// or carry several comma-separated values (a sender rotating its secret can send both). Every value is checked,
    /// with no early exit.
    /// </summary>
    public static bool VerifyAny(IEnumerable<SigningSecret> secrets, ReadOnlySpan<byte> body, IEnumerable<string?> headerValues)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(headerValues);
        var presented = headerValues
            .Where(v => v is not null)
            .SelectMany(v => v!.Split(','))
            .Select(v => v.Trim())
            .Where(v => v.Length > 0)
            .Take(MaxSignatures + 1)
            .ToArray();
        if (presented.Length is 0 or > MaxSignatures)
        {
            return false;
        }

        var keys = secrets.Select(s => s.CauseloopKey).ToArray();
        var matched = false;
        foreach (var signature in presented)
        {
            matched |= Verify(keys, body, signature);
        }

        return matched;
    }

    private static bool TryDecodeHex(string? header, out byte[] bytes)
    {
        bytes = [];
        var text = header?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length != HashSize * 2)
        {
            return false;
        }

        var buffer = new byte[HashSize];
        var status = Convert.FromHexString(text, buffer, out _, out var written);
        if (status != System.Buffers.OperationStatus.Done || written != HashSize)
        {
            return false;
        }

        bytes = buffer;
        return true;
    }
}
