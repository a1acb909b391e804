using System.Net;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// Trickling senders cannot take the inbound endpoint away from other tenants: bodies at an unknown connector are
/// never read, so they hold no body-read slot.
/// </summary>
public sealed class SlowSenderIsolationTests : ApiTest
{
    private const int Slots = 8;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:MaxConcurrentBodyReads"] = Slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Causeloop:Inbound:BodyReadTimeout"] = "00:10:00",
    };

    [Test]
    public async Task Trickles_at_an_unknown_connector_get_the_401_before_sending_their_bodies_and_another_tenant_is_accepted_at_once()
    {
        var other = await InboundEndpoint.CreateAsync(Host);
        var unknown = Guid.NewGuid().ToString();
        var trickles = await Task.WhenAll(Enumerable.Range(0, Slots + 4).Select(_ => SlowSender.StartAsync(Host, unknown)));
        try
        {
            // Each sent one byte of a 100,000-byte body; the answer comes without waiting for the rest.
            var answers = await Task.WhenAll(trickles.Select(t => t.AnswerAsync(TimeSpan.FromSeconds(5))));
            using var source = Host.Client();
            using var good = await other.SendAsync(source, "{}");
            Assert.Multiple(() =>
            {
                Assert.That(answers, Is.All.EqualTo("HTTP/1.1 401 Unauthorized"), "refused from the cache, the body never read");
                Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "no slot is held by them");
            });
        }
        finally
        {
            foreach (var trickle in trickles)
            {
                trickle.Dispose();
            }
        }
    }
}
