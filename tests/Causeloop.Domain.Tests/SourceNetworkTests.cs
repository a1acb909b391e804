using System.Net;
using Causeloop.Domain.Inbound;

namespace Causeloop.Domain.Tests;

public sealed class SourceNetworkTests
{
    [TestCase("203.0.113.7", "203.0.113.7")]
    [TestCase("::ffff:203.0.113.7", "203.0.113.7")]
    [TestCase("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [TestCase("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [TestCase("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [TestCase("fe80::1%2", "fe80::/64")]
    [TestCase("::1", "::/64")]
    public void An_IPv4_address_is_its_own_source_and_an_IPv6_address_counts_as_its_64(string address, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(SourceNetwork.Of(IPAddress.Parse(address)), Is.EqualTo(expected));
            Assert.That(SourceNetwork.Of(address), Is.EqualTo(expected), "the same from text");
        });
    }

    [Test]
    public void Addresses_of_one_64_share_a_key_and_neighbouring_64s_do_not()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SourceNetwork.Of("2001:db8::1"), Is.EqualTo(SourceNetwork.Of("2001:db8::abcd:1234")));
            Assert.That(SourceNetwork.Of("2001:db8::1"), Is.Not.EqualTo(SourceNetwork.Of("2001:db8:0:1::1")));
            Assert.That(SourceNetwork.Of("203.0.113.7"), Is.Not.EqualTo(SourceNetwork.Of("203.0.113.8")), "IPv4 is never grouped");
        });
    }

    [Test]
    public void No_address_is_one_key_and_text_that_is_not_an_address_is_its_own()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SourceNetwork.Of((IPAddress?)null), Is.Empty);
            Assert.That(SourceNetwork.Of((string?)null), Is.Empty);
            Assert.That(SourceNetwork.Of("unix:/run/causeloop.sock"), Is.EqualTo("unix:/run/causeloop.sock"));
        });
    }
}
