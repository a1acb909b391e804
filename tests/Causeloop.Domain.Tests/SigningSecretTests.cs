using System.Text;
using Causeloop.Domain.Signing;

namespace Causeloop.Domain.Tests;

public sealed class SigningSecretTests
{
    [Test]
    public void A_generated_secret_is_whsec_and_the_base64_of_32_bytes()
    {
        var secret = SigningSecret.Generate();
        Assert.Multiple(() =>
        {
            Assert.That(secret.Value, Does.StartWith("whsec_"));
            Assert.That(Convert.FromBase64String(secret.Value["whsec_".Length..]), Has.Length.EqualTo(32));
            Assert.That(secret.StandardKey, Has.Length.EqualTo(32));
            Assert.That(secret.CauseloopKey, Is.EqualTo(Encoding.UTF8.GetBytes(secret.Value)));
        });
    }

    [Test]
    public void Generated_secrets_do_not_repeat()
    {
        var secrets = Enumerable.Range(0, 1000).Select(_ => SigningSecret.Generate().Value).ToHashSet();
        Assert.That(secrets, Has.Count.EqualTo(1000));
    }

    [Test]
    public void Generated_secrets_use_every_byte_value_roughly_evenly()
    {
        var counts = new int[256];
        for (var i = 0; i < 2000; i++)
        {
            foreach (var b in SigningSecret.Generate().StandardKey)
            {
                counts[b]++;
            }
        }

        // 64,000 bytes over 256 values: 250 expected each; a broken generator (zeros, a counter) fails this.
        Assert.That(counts.Min(), Is.GreaterThan(150));
        Assert.That(counts.Max(), Is.LessThan(350));
    }

    [TestCase("")]
    [TestCase("whsec_")]
    [TestCase("whsec_not base64!")]
    [TestCase("sk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    public void Strings_that_are_not_whsec_secrets_are_refused(string value)
    {
        Assert.That(SigningSecret.TryParse(value, out _), Is.False);
    }

    [Test]
    public void ToString_does_not_leak_the_secret()
    {
        var secret = SigningSecret.Generate();
        Assert.That(secret.ToString(), Does.Not.Contain(secret.Value[6..]));
    }
}
