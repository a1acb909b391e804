using Causeloop.Domain.Deliveries;
using Causeloop.Domain.Inbound;

namespace Causeloop.Domain.Tests;

/// <summary>§15: which delivery of a key may go now, and which keys are keys.</summary>
public sealed class OrderingKeyTests
{
    [TestCase("order-42", true)]
    [TestCase("ünïcødé ok", true)]
    [TestCase("", false)]
    [TestCase("tab\there", false)]
    [TestCase("nul\0", false)]
    public void A_key_is_1_to_200_printable_characters(string key, bool valid)
    {
        Assert.Multiple(() =>
        {
            Assert.That(OrderingKey.IsValid(key), Is.EqualTo(valid));
            Assert.That(OrderingKey.IsValid(new string('k', 200)), Is.True);
            Assert.That(OrderingKey.IsValid(new string('k', 201)), Is.False);
            Assert.That(OrderingKey.IsValid("half " + (char)0xD800), Is.False, "a lone surrogate is no text");
        });
    }

    [Test]
    public void A_delivery_without_a_key_always_may_start()
    {
        Assert.That(OrderingKey.MayStart(null, 10, [1, 2, 3], [4]), Is.True);
    }

    [Test]
    public void A_keyed_delivery_waits_for_every_earlier_unfinished_delivery_of_its_key()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OrderingKey.MayStart("k", 10, [], []), Is.True, "the head of its key");
            Assert.That(OrderingKey.MayStart("k", 10, [11, 12], []), Is.True, "later ones never hold it back");
            Assert.That(OrderingKey.MayStart("k", 10, [9], []), Is.False, "an earlier one is still unfinished (pending, in flight or waiting for its retry)");
        });
    }

    [Test]
    public void A_keyed_delivery_waits_for_an_earlier_event_of_its_key_not_yet_fanned_out()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OrderingKey.MayStart("k", 10, [], [8]), Is.False, "its delivery may be about to exist");
            Assert.That(OrderingKey.MayStart("k", 10, [], [11]), Is.True);
        });
    }

    [Test]
    public void An_inbound_event_is_keyed_by_its_providers_object()
    {
        var none = new InboundHeaders(_ => []);
        var shopify = new InboundHeaders(name => name == "X-Shopify-Resource-Id" ? ["820982911946154508"] : []);
        Assert.Multiple(() =>
        {
            Assert.That(ProviderObjectKey.Of(ConnectorKind.Stripe, """{"id":"evt_1","data":{"object":{"id":"pi_42"}}}"""u8.ToArray(), none), Is.EqualTo("pi_42"));
            Assert.That(ProviderObjectKey.Of(ConnectorKind.GitHub, """{"repository":{"full_name":"acme/shop"}}"""u8.ToArray(), none), Is.EqualTo("acme/shop"));
            Assert.That(ProviderObjectKey.Of(ConnectorKind.Shopify, "{}"u8.ToArray(), shopify), Is.EqualTo("820982911946154508"));
            Assert.That(ProviderObjectKey.Of(ConnectorKind.Shopify, "{}"u8.ToArray(), none), Is.Null, "none when the header is absent");
            Assert.That(ProviderObjectKey.Of(ConnectorKind.Custom, """{"data":{"object":{"id":"x"}}}"""u8.ToArray(), none), Is.Null, "none for other kinds");
            Assert.That(ProviderObjectKey.Of(ConnectorKind.Stripe, """{"data":{"object":{"id":"bad\u0001key"}}}"""u8.ToArray(), none), Is.Null, "not a key: not printable");
        });
    }
}
