using System.Net;
using Causeloop.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// Trickling senders cannot take the inbound endpoint away from other tenants: bodies at an unknown connector are
/// never read, so they hold no body-read slot, and one source address holds at most its own share of the slots.
/// A fake clock keeps the trickles within their grace period (no minimum rate cuts them off during the test).
/// </summary>
public sealed class SlowSenderIsolationTests : ApiTest
{
    private const int Slots = 8;
    private const int PerAddress = 2;

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:MaxConcurrentBodyReads"] = Slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Causeloop:Inbound:MaxConcurrentBodyReadsPerAddress"] = PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Causeloop:Inbound:BodyReadTimeout"] = "00:10:00",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Test]
    public async Task Trickles_at_an_unknown_connector_get_the_401_before_sending_their_bodies_and_another_tenant_is_accepted_at_once()
    {
        var other = await SignedSource.CreateAsync(Host);
        var unknown = Guid.NewGuid().ToString();
        var trickles = await Task.WhenAll(Enumerable.Range(0, Slots + 4).Select(_ => SlowSender.StartAsync(Host, unknown)));
        try
        {
            // Each sent one byte of a 100,000-byte body; the answer comes without waiting for the rest (the bound is
            // only for a loaded machine: the body never comes, so an answer that came came without it).
            var answers = await Task.WhenAll(trickles.Select(t => t.AnswerAsync(TimeSpan.FromSeconds(20))));
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

    [Test]
    public async Task Trickles_from_one_address_hold_only_its_share_of_the_slots_and_another_tenant_elsewhere_is_accepted_at_once()
    {
        // The trickler posts at a live connector of its own (its id known, its bodies read), from 127.0.0.3.
        var trickler = await SignedSource.CreateAsync(Host);
        var other = await SignedSource.CreateAsync(Host);
        var trickles = await Task.WhenAll(Enumerable.Range(0, Slots + 4).Select(_ => SlowSender.StartAsync(Host, trickler.ConnectorId, IPAddress.Parse("127.0.0.3"))));
        try
        {
            // Once some are turned away, the others hold all the slots they can get: every one, or the address's share.
            var answers = trickles.Select(t => t.AnswerAsync(TimeSpan.FromSeconds(20))).ToList();
            await Eventually.HoldsAsync(() => Task.FromResult(answers.Count(a => a.IsCompleted) >= trickles.Length - Slots), "some trickles are turned away");

            using var elsewhere = Host.ClientFrom(IPAddress.Parse("127.0.0.2"));
            using var good = await other.SendAsync(elsewhere, "{}");
            using var sameAddress = Host.ClientFrom(IPAddress.Parse("127.0.0.3"));
            using var fromTheTricklersAddress = await other.SendAsync(sameAddress, "{}");
            var turnedAway = answers.Where(a => a.IsCompleted).Select(a => a.Result).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "another address is not held up");
                Assert.That(turnedAway, Is.All.EqualTo("HTTP/1.1 503 Service Unavailable"));
                Assert.That(answers.Count(a => !a.IsCompleted), Is.EqualTo(PerAddress), "the address's share is still being trickled into");
                Assert.That(fromTheTricklersAddress.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the trickler's address has no slot left");
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
