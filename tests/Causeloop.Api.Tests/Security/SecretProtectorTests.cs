using System.Security.Cryptography;
using Causeloop.Infrastructure.Security;

namespace Causeloop.Api.Tests.Security;

public sealed class SecretProtectorTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Test]
    public void Protected_secrets_round_trip_and_never_repeat_a_ciphertext()
    {
        var protector = new AesGcmSecretProtector(Key);
        var a = protector.Protect("whsec_abc");
        var b = protector.Protect("whsec_abc");
        Assert.Multiple(() =>
        {
            Assert.That(protector.Unprotect(a), Is.EqualTo("whsec_abc"));
            Assert.That(a, Is.Not.EqualTo(b), "a fresh nonce each time");
        });
    }

    [Test]
    public void A_tampered_ciphertext_or_another_key_is_refused()
    {
        var protector = new AesGcmSecretProtector(Key);
        var stored = protector.Protect("whsec_abc");
        var tampered = stored.ToArray();
        tampered[^1] ^= 1;
        Assert.Multiple(() =>
        {
            Assert.That(() => protector.Unprotect(tampered), Throws.InstanceOf<Causeloop.Application.Common.SecretUnreadableException>());
            Assert.That(() => new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32)).Unprotect(stored), Throws.InstanceOf<Causeloop.Application.Common.SecretUnreadableException>());
        });
    }

    [Test]
    public void One_protector_is_safe_to_use_from_many_threads_at_once()
    {
        // The service shares one protector between requests and the delivery worker.
        var protector = new AesGcmSecretProtector(Key);
        var secrets = Enumerable.Range(0, 64).Select(i => $"whsec_{i}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}").ToArray();
        var stored = secrets.Select(protector.Protect).ToArray();
        var failures = 0;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var n = i % secrets.Length;
            try
            {
                if (protector.Unprotect(stored[n]) != secrets[n] || protector.Unprotect(protector.Protect(secrets[n])) != secrets[n])
                {
                    Interlocked.Increment(ref failures);
                }
            }
            catch (Causeloop.Application.Common.SecretUnreadableException)
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.That(failures, Is.Zero);
    }
}
