using System.Net;
using System.Net.Sockets;
using System.Text;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>Unauthenticated senders that trickle or stall their bodies cannot tie the inbound endpoint up.</summary>
public sealed class SlowSenderTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:MaxConcurrentBodyReads"] = "2",
        ["Causeloop:Inbound:BodyReadTimeout"] = "00:00:03",
    };

    [Test]
    public async Task Stalled_bodies_take_only_the_bounded_slots_are_cut_off_at_the_deadline_and_then_good_requests_go_through()
    {
        var endpoint = await InboundEndpoint.CreateAsync(Host);
        using var source = Host.Client();
        // Two senders declare a body and send one byte of it.
        var stalled = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(Host.BaseAddress.Host, Host.BaseAddress.Port);
            var head = $"POST /v1/webhooks/inbound/{endpoint.ConnectorId} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "x-causeloop-signature: 00\r\nContent-Length: 1000000\r\n\r\n{";
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
            return tcp;
        }));

        // While they hold both slots, a good request is turned away at once with 503, not queued behind them.
        // (A request that got in before the stalled ones reached the endpoint is simply accepted.)
        var busy = HttpStatusCode.OK;
        var acceptedMeanwhile = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < deadline && busy != HttpStatusCode.ServiceUnavailable)
        {
            busy = (await endpoint.SendAsync(source, "{}")).StatusCode;
            acceptedMeanwhile += busy == HttpStatusCode.Accepted ? 1 : 0;
        }

        var answers = await Task.WhenAll(stalled.Select(async tcp =>
        {
            using (tcp)
            {
                var buffer = new byte[256];
                var read = await tcp.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(15));
                return Encoding.ASCII.GetString(buffer, 0, read);
            }
        }));
        var after = await endpoint.SendAsync(source, "{}");
        Assert.Multiple(async () =>
        {
            Assert.That(busy, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(answers, Has.All.StartWith("HTTP/1.1 408"), "cut off at the body deadline");
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "the slots are free again");
            Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @c", new { c = Guid.Parse(endpoint.ConnectorId) }), Is.EqualTo(1 + acceptedMeanwhile));
        });
    }
}
