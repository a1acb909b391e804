using System.Security.Cryptography;
using Causeloop.Infrastructure.Security;

namespace Causeloop.Api.Hosting;

/// <summary>
/// Reads <c>Causeloop:Secrets:Key</c>. In Development a missing key is generated once and kept under the
/// data directory (default <see cref="DefaultDataDirectory"/>); anywhere else the service refuses to start, because secrets encrypted under a
/// throwaway key would be lost at the next start.
/// </summary>
public static class SecretsKeyLoader
{
    public static byte[] Load(CauseloopOptions options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(options.Secrets.Key))
        {
            return Decode(options.Secrets.Key, "Causeloop:Secrets:Key");
        }

        if (!environment.IsDevelopment())
        {
            throw new StartupException(
                "Causeloop:Secrets:Key is not set. Signing secrets are stored encrypted with it, so the service "
                + "will not start without one outside Development. Set Causeloop__Secrets__Key to the base64 of "
                + "32 random bytes (for example: openssl rand -base64 32), and keep it: secrets cannot be read without it.");
        }

        var directory = options.DataDirectory ?? DefaultDataDirectory();
        var path = Path.Combine(directory, "secrets.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(AesGcmSecretProtector.KeySize)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return Decode(File.ReadAllText(path).Trim(), path);
    }

    /// <summary>
    /// Outside the build output (the content root is <c>bin/…</c>, which a clean deletes): the user's own data
    /// folder, <c>~/.local/share/causeloop</c> on Linux.
    /// </summary>
    public static string DefaultDataDirectory()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, "causeloop");
    }

    private static byte[] Decode(string base64, string source)
    {
        try
        {
            var key = Convert.FromBase64String(base64.Trim());
            return key.Length == AesGcmSecretProtector.KeySize
                ? key
                : throw new StartupException($"{source} must be the base64 of exactly 32 bytes (got {key.Length}).");
        }
        catch (FormatException)
        {
            throw new StartupException($"{source} is not valid base64.");
        }
    }
}
