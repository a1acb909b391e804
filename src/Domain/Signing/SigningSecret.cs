using System.Security.Cryptography;
using System.Text;

namespace Causeloop.Domain.Signing;

/// <summary>
/// A webhook signing secret. Causeloop generates <c>whsec_</c> followed by the base64 of 32 random bytes; an inbound
/// connector may instead import the secret its provider generated (any 1–512 printable characters), which then has
/// no Standard Webhooks key unless it is itself a <c>whsec_</c> secret.
/// </summary>
public sealed record SigningSecret
{
    public const string Prefix = "whsec_";
    public const int RandomByteCount = 32;

    public const int MaxImportedLength = 512;
    public const int MinStandardKeyBytes = 24;
    public const int MaxStandardKeyBytes = 64;

    private readonly byte[] _causeloopKey;
    private readonly byte[]? _standardKey;

    private SigningSecret(string value, byte[]? standardKey)
    {
        Value = value;
        _standardKey = standardKey;
        _causeloopKey = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The whole secret string, as shown to the user once.</summary>
    public string Value { get; }

    /// <summary>The key of the Causeloop hex signature: the UTF-8 bytes of the whole secret string.</summary>
    public byte[] CauseloopKey => _causeloopKey;

    /// <summary>The key of the Standard Webhooks signature: the base64-decoded part after <c>whsec_</c>.</summary>
    public byte[] StandardKey => _standardKey ?? throw new InvalidOperationException("This secret is not a whsec_ secret and has no Standard Webhooks key.");

    /// <summary>Whether the secret is a <c>whsec_</c> secret (and so can verify or sign Standard Webhooks signatures).</summary>
    public bool HasStandardKey => _standardKey is not null;

    public static SigningSecret Generate() =>
        FromString(Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(RandomByteCount)));

    public static bool TryParse(string? value, out SigningSecret secret)
    {
        secret = null!;
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = value[Prefix.Length..];
        var buffer = new byte[encoded.Length];
        if (encoded.Length == 0 || !Convert.TryFromBase64String(encoded, buffer, out var written))
        {
            return false;
        }

        secret = new SigningSecret(value, buffer[..written]);
        return true;
    }

    public static SigningSecret FromString(string value) =>
        TryParse(value, out var secret) ? secret : throw new FormatException("Not a whsec_ signing secret.");

    /// <summary>A secret as stored: a <c>whsec_</c> secret, or one imported from a provider.</summary>
    public static SigningSecret FromStored(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var secret) ? secret : new SigningSecret(value, null);
    }

    /// <summary>
    /// A secret a provider generated, for a connector of <paramref name="kind"/>: 1–512 printable ASCII characters;
    /// for <c>standard_webhooks</c>, <c>whsec_</c> + the base64 of 24–64 bytes. Null and a message when it is not.
    /// </summary>
    public static SigningSecret? Import(string? value, string kind, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(value) || value.Length > MaxImportedLength || value.Any(c => c is < ' ' or > '~'))
        {
            problem = $"signing_secret must be 1 to {MaxImportedLength} printable ASCII characters.";
            return null;
        }

        if (kind == Inbound.ConnectorKind.StandardWebhooks
            && (!TryParse(value, out var standard) || standard.StandardKey.Length is < MinStandardKeyBytes or > MaxStandardKeyBytes))
        {
            problem = $"A standard_webhooks signing_secret must be {Prefix} followed by the base64 of {MinStandardKeyBytes} to {MaxStandardKeyBytes} bytes.";
            return null;
        }

        return FromStored(value);
    }

    public bool Equals(SigningSecret? other) => other is not null && other.Value == Value;

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Prefix + "…";
}
