using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Causeloop.Infrastructure.Security;

/// <summary>API keys: <c>cl_</c> + base64url of 32 random bytes. Only the SHA-256 hash and a short prefix are stored.</summary>
public static class ApiKey
{
    public const string Prefix = "cl_";
    public const int VisiblePrefixLength = 10;

    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string VisiblePrefix(string key) => key[..Math.Min(VisiblePrefixLength, key.Length)];

    public static bool LooksValid(string? key) => key is { Length: > 10 and < 200 } && key.StartsWith(Prefix, StringComparison.Ordinal);
}
