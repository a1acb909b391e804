using Causeloop.Domain.Signing;

namespace Causeloop.Domain.Tests;

public sealed class LiveSecretsTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);
    private static readonly string Current = SigningSecret.Generate().Value;
    private static readonly string Previous = SigningSecret.Generate().Value;

    [Test]
    public void The_previous_secret_is_live_until_its_overlap_ends_and_comes_after_the_current_one()
    {
        var during = LiveSecrets.Of(Current, Now.AddSeconds(1), Now, () => Previous);
        var after = LiveSecrets.Of(Current, Now, Now, () => Previous);
        Assert.Multiple(() =>
        {
            Assert.That(during.Select(s => s.Value), Is.EqualTo(new[] { Current, Previous }));
            Assert.That(after.Select(s => s.Value), Is.EqualTo(new[] { Current }));
        });
    }

    [Test]
    public void An_expired_previous_secret_is_not_even_read()
    {
        var reads = 0;
        LiveSecrets.Of(Current, Now.AddHours(-1), Now, () =>
        {
            reads++;
            return Previous;
        });
        Assert.That(reads, Is.Zero);
    }
}
