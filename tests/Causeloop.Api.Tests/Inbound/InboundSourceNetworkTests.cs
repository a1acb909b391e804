using System.Net;
using Causeloop.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// Per-address inbound limits count an IPv4 address, or the /64 of an IPv6 address (one host holds a whole /64);
/// an IPv4-mapped IPv6 address is its IPv4 address. Fake clock: each test has a window of its own.
/// </summary>
public sealed class InboundSourceNetworkTests : ApiTest
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:RejectedPerAddressPerSecond"] = "3",
        ["Causeloop:Inbound:MaxConcurrentBodyReadsPerAddress"] = "1",
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(_clock);
        SourceAddressHeader.AddTo(services);
    }

    [SetUp]
    public void NextWindow() => _clock.Advance(TimeSpan.FromSeconds(1));

    [Test]
    public async Task The_addresses_of_one_IPv6_64_share_one_rejection_budget_and_another_64_has_its_own()
    {
        using var client = Host.Client();
        var first = await ForgeAsync(client, "2001:db8:1:2::1", 3);
        var sameNetwork = await ForgeAsync(client, "2001:db8:1:2:ffff:1234:5678:9abc", 1);
        var nextNetwork = await ForgeAsync(client, "2001:db8:1:3::1", 1);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.All.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(sameNetwork, Is.All.EqualTo(HttpStatusCode.TooManyRequests), "another address of the same /64 shares its budget");
            Assert.That(nextNetwork, Is.All.EqualTo(HttpStatusCode.Unauthorized), "the next /64 is another source");
        });
    }

    [Test]
    public async Task An_IPv4_mapped_IPv6_address_shares_its_IPv4_address_budget_and_each_IPv4_address_has_its_own()
    {
        using var client = Host.Client();
        var first = await ForgeAsync(client, "203.0.113.7", 3);
        var mapped = await ForgeAsync(client, "::ffff:203.0.113.7", 1);
        var neighbour = await ForgeAsync(client, "203.0.113.8", 1);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.All.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(mapped, Is.All.EqualTo(HttpStatusCode.TooManyRequests), "the mapped form is the same address");
            Assert.That(neighbour, Is.All.EqualTo(HttpStatusCode.Unauthorized), "IPv4 addresses are never grouped");
        });
    }

    [TestCase("2001:db8:5:6::1", "2001:db8:5:6:abcd::2", "2001:db8:5:7::1")]
    [TestCase("198.51.100.7", "::ffff:198.51.100.7", "198.51.100.8")]
    public async Task The_body_read_cap_counts_the_same_sources(string trickling, string sameSource, string otherSource)
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var trickle = await SlowSender.StartAsync(Host, endpoint.ConnectorId, sourceHeader: trickling);
        using var same = SourcedClient(sameSource);
        using var other = SourcedClient(otherSource);

        // Once the trickle holds its source's one slot, the same source is turned away and another is not.
        // (Requests that got in before the trickle took its slot are simply accepted; on a loaded machine that can
        // take a while, so the wait is generous and, if it runs out, says what the trickle was answered, if anything.)
        var sameAnswer = HttpStatusCode.Accepted;
        var acceptedMeanwhile = 0;
        await Eventually.HoldsAsync(async () =>
        {
            sameAnswer = (await endpoint.SendAsync(same, "{}")).StatusCode;
            acceptedMeanwhile += sameAnswer == HttpStatusCode.Accepted ? 1 : 0;
            return sameAnswer != HttpStatusCode.Accepted;
        }, $"{sameSource} is turned away while {trickling} trickles", details: () =>
            $"{acceptedMeanwhile} accepted meanwhile; the trickle was answered: {trickle.AnswerAsync(TimeSpan.FromMilliseconds(100)).GetAwaiter().GetResult() ?? "nothing yet"}");
        Assert.Multiple(async () =>
        {
            Assert.That(sameAnswer, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That((await endpoint.SendAsync(other, "{}")).StatusCode, Is.EqualTo(HttpStatusCode.Accepted), $"{otherSource} is another source");
        });
    }

    private HttpClient SourcedClient(string from)
    {
        var client = Host.Client();
        client.DefaultRequestHeaders.Add(SourceAddressHeader.Name, from);
        return client;
    }

    private static async Task<List<HttpStatusCode>> ForgeAsync(HttpClient client, string from, int count)
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{Guid.NewGuid()}") { Content = new StringContent("{}") };
            request.Headers.Add("x-causeloop-signature", new string('0', 64));
            request.Headers.Add(SourceAddressHeader.Name, from);
            using var response = await client.SendAsync(request);
            answers.Add(response.StatusCode);
        }

        return answers;
    }
}
