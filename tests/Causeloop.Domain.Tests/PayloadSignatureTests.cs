using System.Text;
using Causeloop.Domain.Signing;

namespace Causeloop.Domain.Tests;

public sealed class PayloadSignatureTests
{
    private static readonly byte[] VectorBody = Encoding.UTF8.GetBytes("{\"event\":\"charge.success\",\"amount\":1000,\"currency\":\"NGN\"}");
    private const string VectorHex = "244449b7f48cbc2709060c9dcdc2b3aa47a78f540430579015c579fb12defbb4";

    // The published vector's key is the UTF-8 string "convoy-webhook-secret"; ours is the UTF-8 of the whole secret string.
    private static readonly byte[] VectorKey = Encoding.UTF8.GetBytes("convoy-webhook-secret");

    [Test]
    public void Published_hex_hmac_vector_is_reproduced()
    {
        Assert.That(PayloadSignature.Sign(VectorKey, VectorBody), Is.EqualTo(VectorHex));
    }

    [Test]
    public void Published_vector_verifies_in_lower_and_upper_case()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PayloadSignature.Verify([VectorKey], VectorBody, VectorHex), Is.True);
            Assert.That(PayloadSignature.Verify([VectorKey], VectorBody, VectorHex.ToUpperInvariant()), Is.True);
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("244449b7f48cbc2709060c9dcdc2b3aa47a78f540430579015c579fb12defbb")] // odd length
    [TestCase("244449b7f48cbc2709060c9dcdc2b3aa47a78f540430579015c579fb12defb")] // truncated
    [TestCase("244449b7f48cbc2709060c9dcdc2b3aa47a78f540430579015c579fb12defbb400")] // too long
    [TestCase("z44449b7f48cbc2709060c9dcdc2b3aa47a78f540430579015c579fb12defbb4")] // not hex
    [TestCase("sha256=244449b7f48cbc2709060c9dcdc2b3aa47a78f540430579015c579fb12defbb4")]
    public void Malformed_headers_are_a_plain_rejection(string? header)
    {
        Assert.That(PayloadSignature.Verify([VectorKey], VectorBody, header), Is.False);
    }

    [Test]
    public void A_tampered_body_is_rejected()
    {
        var tampered = Encoding.UTF8.GetBytes("{\"event\":\"charge.success\",\"amount\":9000,\"currency\":\"NGN\"}");
        Assert.That(PayloadSignature.Verify([VectorKey], tampered, VectorHex), Is.False);
    }

    [Test]
    public void The_same_json_reformatted_is_rejected()
    {
        var pretty = Encoding.UTF8.GetBytes("{\n  \"event\": \"charge.success\",\n  \"amount\": 1000,\n  \"currency\": \"NGN\"\n}");
        Assert.That(PayloadSignature.Verify([VectorKey], pretty, VectorHex), Is.False);
    }

    [Test]
    public void An_empty_body_signs_and_verifies()
    {
        var secret = SigningSecret.Generate();
        var signature = PayloadSignature.Sign(secret, []);
        Assert.Multiple(() =>
        {
            Assert.That(PayloadSignature.Verify([secret], [], signature), Is.True);
            Assert.That(PayloadSignature.Verify([secret], "{}"u8.ToArray(), signature), Is.False);
        });
    }

    [Test]
    public void Any_live_secret_verifies_and_others_do_not()
    {
        var current = SigningSecret.Generate();
        var previous = SigningSecret.Generate();
        var stranger = SigningSecret.Generate();
        var body = "{\"a\":1}"u8.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(PayloadSignature.Verify([current, previous], body, PayloadSignature.Sign(current, body)), Is.True);
            Assert.That(PayloadSignature.Verify([current, previous], body, PayloadSignature.Sign(previous, body)), Is.True);
            Assert.That(PayloadSignature.Verify([current, previous], body, PayloadSignature.Sign(stranger, body)), Is.False);
            Assert.That(PayloadSignature.Verify(Array.Empty<SigningSecret>(), body, PayloadSignature.Sign(current, body)), Is.False);
        });
    }

    [Test]
    public void The_key_is_the_utf8_of_the_whole_secret_string_prefix_included()
    {
        var secret = SigningSecret.Generate();
        var body = "{\"a\":1}"u8.ToArray();
        Assert.That(PayloadSignature.Sign(secret, body), Is.EqualTo(PayloadSignature.Sign(Encoding.UTF8.GetBytes(secret.Value), body)));
    }

    [Test]
    public void Any_one_of_several_presented_signatures_verifies_in_any_order_and_form_but_at_most_five_are_read()
    {
        var secret = SigningSecret.Generate();
        var good = PayloadSignature.Sign(secret, VectorBody);
        var bad = PayloadSignature.Sign(SigningSecret.Generate(), VectorBody);
        Assert.Multiple(() =>
        {
            Assert.That(PayloadSignature.VerifyAny([secret], VectorBody, [good, bad]), Is.True);
            Assert.That(PayloadSignature.VerifyAny([secret], VectorBody, [bad, good]), Is.True);
            Assert.That(PayloadSignature.VerifyAny([secret], VectorBody, [$"{bad}, {good}"]), Is.True, "comma-separated in one header");
            Assert.That(PayloadSignature.VerifyAny([secret], VectorBody, [bad, bad]), Is.False);
            Assert.That(PayloadSignature.VerifyAny([secret], VectorBody, []), Is.False);
            Assert.That(PayloadSignature.VerifyAny([secret], VectorBody, [null, " "]), Is.False);
            Assert.That(PayloadSignature.VerifyAny([secret], VectorBody, [bad, bad, bad, bad, bad, good]), Is.False, "more than five: refused unread");
        });
    }
}
