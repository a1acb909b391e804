using System.Net;
using Causeloop.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// Unauthenticated senders that stall their bodies cannot tie the inbound endpoint up: they take only the bounded
/// slots and are cut off at <c>BodyReadTimeout</c> (the minimum rate is off here; on a fake clock).
/// </summary>
public sealed class SlowSenderTests : ApiTest
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:MaxConcurrentBodyReads"] = "2",
        ["Causeloop:Inbound:BodyReadTimeout"] = "00:00:03",
        ["Causeloop:Inbound:MinBodyDataRate"] = "0",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Test]
    public async Task Stalled_bodies_take_only_the_bounded_slots_are_cut_off_at_the_deadline_and_then_good_requests_go_through()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        // Two senders declare a body and send one byte of it.
        var stalled = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => SlowSender.StartAsync(Host, endpoint.ConnectorId, declaredLength: 1_000_000)));
        try
        {
            // While they hold both slots, a good request is turned away at once with 503, not queued behind them.
            // (A request that got in before the stalled ones reached the endpoint is simply accepted.)
            var busy = HttpStatusCode.OK;
            var acceptedMeanwhile = 0;
            await Eventually.HoldsAsync(async () =>
            {
                busy = (await endpoint.SendAsync(source, "{}")).StatusCode;
                acceptedMeanwhile += busy == HttpStatusCode.Accepted ? 1 : 0;
                return busy == HttpStatusCode.ServiceUnavailable;
            }, "the stalled senders hold both slots", TimeSpan.FromSeconds(10));

            _clock.Advance(TimeSpan.FromMilliseconds(2999));
            var early = await Task.WhenAll(stalled.Select(s => s.AnswerAsync(TimeSpan.FromMilliseconds(200))));
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            var answers = await Task.WhenAll(stalled.Select(s => s.AnswerAsync(TimeSpan.FromSeconds(15))));
            var after = await endpoint.SendAsync(source, "{}");
            Assert.Multiple(async () =>
            {
                Assert.That(early, Is.All.Null, "not before the deadline");
                Assert.That(answers, Is.All.EqualTo("HTTP/1.1 408 Request Timeout"), "cut off at the body deadline");
                Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "the slots are free again");
                Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @c", new { c = Guid.Parse(endpoint.ConnectorId) }), Is.EqualTo(1 + acceptedMeanwhile));
            });
        }
        finally
        {
            foreach (var sender in stalled)
            {
                sender.Dispose();
            }
        }
    }
}
