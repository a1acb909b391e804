using System.Net;
using Causeloop.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// After its grace period a body must keep arriving at <c>MinBodyDataRate</c> (on a fake clock): a trickle is cut
/// off with 408 long before <c>BodyReadTimeout</c> and gives its slot back; a pause within the grace period is fine.
/// </summary>
public sealed class MinimumBodyRateTests : ApiTest
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:MaxConcurrentBodyReads"] = "1",
        ["Causeloop:Inbound:BodyReadTimeout"] = "00:10:00",
        ["Causeloop:Inbound:MinBodyDataRate"] = "1000",
        ["Causeloop:Inbound:MinBodyDataRateGracePeriod"] = "00:00:02",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Test]
    public async Task A_body_trickling_below_the_rate_is_cut_off_with_408_after_the_grace_period_and_frees_its_slot()
    {
        var trickled = await SignedSource.CreateAsync(Host);
        var other = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        using var trickle = await SlowSender.StartAsync(Host, trickled.ConnectorId);
        await HoldsTheOnlySlotAsync(other, source);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await trickle.SendAsync(new string(' ', 100));
        var withinGrace = await trickle.AnswerAsync(TimeSpan.FromMilliseconds(200));
        // 2.5 s in: 101 bytes have come, where 1000 bytes/s after the first 2 s asks for 500. The answer must come at
        // once: within 3 s of real time, before Kestrel's own default rule (240 bytes/s after 5 s) could act.
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        var answer = await trickle.AnswerAsync(TimeSpan.FromSeconds(3));
        using var after = await other.SendAsync(source, "{}");
        Assert.Multiple(() =>
        {
            Assert.That(withinGrace, Is.Null, "not within the grace period");
            Assert.That(answer, Is.EqualTo("HTTP/1.1 408 Request Timeout"), "cut off long before the 10-minute BodyReadTimeout");
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "its slot is free again");
        });
    }

    [Test]
    public async Task A_sender_that_pauses_within_the_grace_period_is_read_to_the_end()
    {
        var paused = await SignedSource.CreateAsync(Host);
        var other = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        using var sender = await SlowSender.StartAsync(Host, paused.ConnectorId, declaredLength: 2, firstBytes: "{");
        await HoldsTheOnlySlotAsync(other, source);

        _clock.Advance(TimeSpan.FromSeconds(1.9));
        await sender.SendAsync("}");
        // The whole body came, so the signature decides (the sender's is wrong on purpose): 401, not 408.
        Assert.That(await sender.AnswerAsync(TimeSpan.FromSeconds(10)), Is.EqualTo("HTTP/1.1 401 Unauthorized"));
    }

    /// <summary>Waits until the slow sender's body is being read: it holds the one slot, so another request gets 503.</summary>
    private static async Task HoldsTheOnlySlotAsync(SignedSource other, HttpClient source) =>
        await Eventually.HoldsAsync(async () =>
        {
            using var probe = await other.SendAsync(source, "{}");
            return probe.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, "the slow sender's body is being read", TimeSpan.FromSeconds(10));
}
