using System.Security.Cryptography;
using System.Text;

namespace Causeloop.Domain.Signing;

/// <summary>A webhook signing secret: <c>whsec_</c> followed by the base64 of 32 random bytes.</summary>
public sealed record SigningSecret
{
    public const string Prefix = "whsec_";
    public const int RandomByteCount = 32;

    private readonly byte[] _causeloopKey;

    private SigningSecret(string value, byte[] standardKey)
    {
        Value = value;
        StandardKey = standardKey;
        _causeloopKey = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The whole secret string, as shown to the user once.</summary>
    public string Value { get; }

    /// <summary>The key of the Causeloop hex signature: the UTF-8 bytes of the whole secret string.</summary>
    public byte[] CauseloopKey => _causeloopKey;

    /// <summary>The key of the Standard Webhooks signature: the base64-decoded part after <c>whsec_</c>.</summary>
    public byte[] StandardKey { get; }

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

    public bool Equals(SigningSecret? other) => other is not null && other.Value == Value;

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Prefix + "…";
}
