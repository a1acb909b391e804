using System.Net;
using Causeloop.Domain.Deliveries;

namespace Causeloop.Domain.Tests;

public sealed class OutboundAddressPolicyTests
{
    [TestCase("127.0.0.1")]
    [TestCase("127.1.2.3")]
    [TestCase("10.0.0.5")]
    [TestCase("172.16.0.1")]
    [TestCase("172.31.255.255")]
    [TestCase("192.168.1.1")]
    [TestCase("169.254.169.254")]
    [TestCase("169.254.0.1")]
    [TestCase("100.64.0.1")]
    [TestCase("100.127.255.254")]
    [TestCase("0.0.0.0")]
    [TestCase("224.0.0.1")]
    [TestCase("239.255.255.250")]
    [TestCase("255.255.255.255")]
    [TestCase("::1")]
    [TestCase("::")]
    [TestCase("fe80::1")]
    [TestCase("fc00::1")]
    [TestCase("fd00::1")]
    [TestCase("ff02::1")]
    [TestCase("::ffff:127.0.0.1")]
    [TestCase("::ffff:10.0.0.1")]
    [TestCase("::ffff:169.254.169.254")]
    [TestCase("::ffff:192.168.0.1")]
    [TestCase("::127.0.0.1")]
    [TestCase("64:ff9b::a9fe:a9fe")]
    [TestCase("2002:7f00:1::")]
    [TestCase("64:ff9b:1::808:808")] // NAT64 local-use, RFC 8215
    [TestCase("64:ff9b:1:ffff::1")]
    [TestCase("2001:0:4136:e378:8000:63bf:3fff:fdd2")] // Teredo
    [TestCase("2001::1")]
    public void Internal_addresses_are_forbidden(string address)
    {
        Assert.That(OutboundAddressPolicy.IsForbidden(IPAddress.Parse(address)), Is.True);
    }

    [TestCase("93.184.216.34")]
    [TestCase("8.8.8.8")]
    [TestCase("172.15.255.255")]
    [TestCase("172.32.0.1")]
    [TestCase("100.63.255.255")]
    [TestCase("100.128.0.1")]
    [TestCase("2606:2800:220:1:248:1893:25c8:1946")]
    [TestCase("::ffff:93.184.216.34")]
    [TestCase("64:ff9b::808:808")] // well-known NAT64 prefix of a public IPv4 address
    [TestCase("2001:db9::1")]
    [TestCase("2001:4860:4860::8888")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.That(OutboundAddressPolicy.IsForbidden(IPAddress.Parse(address)), Is.False);
    }
}
