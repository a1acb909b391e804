using System.Text;
using Causeloop.Domain.Signing;

namespace Causeloop.Domain.Tests;

public sealed class StandardWebhookSignatureTests
{
    // The Standard Webhooks specification's own test vector.
    private static readonly SigningSecret Secret = SigningSecret.FromString("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    private const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
    private const string Expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Test]
    public void Published_vector_is_reproduced()
    {
        Assert.That(StandardWebhookSignature.Sign(Secret, MessageId, Timestamp, Body), Is.EqualTo(Expected));
    }

    [Test]
    public void Published_vector_verifies()
    {
        Assert.That(StandardWebhookSignature.Verify(Secret, MessageId, Timestamp, Body, Expected), Is.True);
    }

    [Test]
    public void Tampering_with_id_timestamp_or_body_is_detected()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StandardWebhookSignature.Verify(Secret, "msg_other", Timestamp, Body, Expected), Is.False);
            Assert.That(StandardWebhookSignature.Verify(Secret, MessageId, Timestamp + 1, Body, Expected), Is.False);
            Assert.That(StandardWebhookSignature.Verify(Secret, MessageId, Timestamp, "{\"test\": 2432232315}"u8.ToArray(), Expected), Is.False);
        });
    }

    [Test]
    public void With_two_live_secrets_the_header_carries_one_signature_each_and_either_verifies()
    {
        var newer = SigningSecret.Generate();
        var header = StandardWebhookSignature.Header([newer, Secret], MessageId, Timestamp, Body);
        var entries = header.Split(' ');
        Assert.Multiple(() =>
        {
            Assert.That(entries, Has.Length.EqualTo(2));
            Assert.That(entries[1], Is.EqualTo(Expected));
            Assert.That(StandardWebhookSignature.Verify(newer, MessageId, Timestamp, Body, header), Is.True);
            Assert.That(StandardWebhookSignature.Verify(Secret, MessageId, Timestamp, Body, header), Is.True);
            Assert.That(StandardWebhookSignature.Verify(SigningSecret.Generate(), MessageId, Timestamp, Body, header), Is.False);
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("v1,")]
    [TestCase("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    public void Missing_or_foreign_signatures_do_not_verify(string? header)
    {
        Assert.That(StandardWebhookSignature.Verify(Secret, MessageId, Timestamp, Body, header), Is.False);
    }
}
