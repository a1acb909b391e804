using Causeloop.Domain.Deliveries;

namespace Causeloop.Domain.Tests;

public sealed class RateLimitTests
{
    private static readonly DateTime T0 = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);

    [TestCase(null, true)]
    [TestCase(1L, true)]
    [TestCase(10_000L, true)]
    [TestCase(0L, false)]
    [TestCase(-5L, false)]
    [TestCase(10_001L, false)]
    public void A_limit_is_null_or_1_to_10000_per_second(long? perSecond, bool valid) =>
        Assert.That(RateLimit.IsValid(perSecond), Is.EqualTo(valid));

    [Test]
    public void No_limit_lets_any_number_start() =>
        Assert.That(RateLimit.MayStart(null, null, null, T0), Is.EqualTo(int.MaxValue));

    [Test]
    public void A_bucket_never_used_holds_one_seconds_worth() =>
        Assert.That(RateLimit.MayStart(50, null, null, T0), Is.EqualTo(50));

    [Test]
    public void It_refills_at_the_rate_and_never_past_one_seconds_worth()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RateLimit.MayStart(50, 0, T0, T0), Is.Zero);
            Assert.That(RateLimit.MayStart(50, 0, T0, T0.AddMilliseconds(100)), Is.EqualTo(5));
            Assert.That(RateLimit.MayStart(50, 0.5, T0, T0.AddMilliseconds(10)), Is.EqualTo(1), "half a token left plus half refilled");
            Assert.That(RateLimit.MayStart(50, 10, T0, T0.AddMinutes(5)), Is.EqualTo(50), "an idle bucket is full, not fuller");
            Assert.That(RateLimit.MayStart(50, 3, T0, T0.AddSeconds(-1)), Is.EqualTo(3), "a clock seen going back refills nothing");
        });
    }

    [Test]
    public void Starting_spends_a_token_each()
    {
        var left = RateLimit.AfterStarting(50, 0, T0, T0.AddMilliseconds(100), started: 4);
        Assert.That(left, Is.EqualTo(1).Within(1e-9));
    }

    /// <summary>
    /// The promise of SPEC §17, checked over a simulated greedy claimer that starts everything the bucket allows at
    /// irregular instants: no window of T seconds sees more than (T + 1) × rate starts, and the rate is reached.
    /// </summary>
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(200)]
    public void No_window_of_T_seconds_sees_more_than_T_plus_1_times_the_rate(int rate)
    {
        var random = new Random(rate);
        double? tokens = null;
        DateTime? refilled = null;
        var starts = new List<DateTime>();
        for (var now = T0; now < T0.AddSeconds(20); now = now.AddMilliseconds(random.Next(1, 300)))
        {
            var n = RateLimit.MayStart(rate, tokens, refilled, now);
            tokens = RateLimit.AfterStarting(rate, tokens, refilled, now, n);
            refilled = now;
            starts.AddRange(Enumerable.Repeat(now, n));
        }

        foreach (var window in new[] { 0.25, 1, 2.5, 5 })
        {
            var most = starts.Max(s => starts.Count(x => x >= s && x <= s.AddSeconds(window)));
            Assert.That(most, Is.LessThanOrEqualTo((window + 1) * rate), $"window {window} s");
        }

        Assert.That(starts.Count, Is.GreaterThanOrEqualTo(19 * rate), "the limit is a ceiling, and it is reached");
    }
}
