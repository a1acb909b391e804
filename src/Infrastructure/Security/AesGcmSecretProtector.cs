using Causeloop.Application.Common;
using System.Security.Cryptography;
using System.Text;
using Causeloop.Application.Abstractions;

namespace Causeloop.Infrastructure.Security;

/// <summary>
/// AES-256-GCM under the configured key. Stored form: version byte (1) | 12-byte nonce | ciphertext | 16-byte tag.
/// An <see cref="AesGcm"/> instance is not safe to share between threads, so each operation makes its own.
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector
{
    public const int KeySize = 32;
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    public AesGcmSecretProtector(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"The secrets key must be {KeySize} bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    public byte[] Protect(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var output = new byte[1 + NonceSize + plain.Length + TagSize];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize, plain.Length), output.AsSpan(1 + NonceSize + plain.Length, TagSize));
        return output;
    }

    public string Unprotect(byte[] protectedSecret)
    {
        ArgumentNullException.ThrowIfNull(protectedSecret);
        if (protectedSecret.Length < 1 + NonceSize + TagSize || protectedSecret[0] != Version)
        {
            throw new SecretUnreadableException(new CryptographicException("Unknown secret format."));
        }

        var length = protectedSecret.Length - 1 - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(_key, TagSize);
        try
        {
            aes.Decrypt(
                protectedSecret.AsSpan(1, NonceSize),
                protectedSecret.AsSpan(1 + NonceSize, length),
                protectedSecret.AsSpan(1 + NonceSize + length, TagSize),
                plain);
        }
        catch (CryptographicException e)
        {
            throw new SecretUnreadableException(e);
        }

        return Encoding.UTF8.GetString(plain);
    }
}
