using Causeloop.Domain.Deliveries;

namespace Causeloop.Domain.Tests;

public sealed class AdaptiveConcurrencyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(5);
    private static readonly AttemptResult Ok = new(200, null);

    private static AdaptiveConcurrency Start() => new(initial: 4, max: 64, quick: TimeSpan.FromSeconds(1));

    private static void Succeed(AdaptiveConcurrency c, int times, TimeSpan? duration = null)
    {
        for (var i = 0; i < times; i++)
        {
            c.Observe(Ok, duration ?? Fast, Now);
        }
    }

    [Test]
    public void Starts_small_and_doubles_per_window_of_quick_successes_in_slow_start()
    {
        var c = Start();
        Assert.That(c.Limit(Now), Is.EqualTo(4));
        Succeed(c, 4);
        Assert.That(c.Limit(Now), Is.EqualTo(8), "four successes at a limit of four double it");
        Succeed(c, 8 + 16);
        Assert.That(c.Limit(Now), Is.EqualTo(32));
        Succeed(c, 32);
        Assert.That(c.Limit(Now), Is.EqualTo(64), "the cap is reached after 60 quick answers, not about 2,000");
    }

    [Test]
    public void After_the_first_sign_of_overload_it_grows_by_one_per_window()
    {
        var c = Start();
        Succeed(c, 4 + 8);
        c.Observe(new AttemptResult(503, null), Fast, Now);
        Assert.That(c.Limit(Now), Is.EqualTo(8), "halved from 16");
        Assert.That(c.SlowStart, Is.False);
        Succeed(c, 8);
        Assert.That(c.Limit(Now), Is.EqualTo(9), "additive increase");
        Succeed(c, 9);
        Assert.That(c.Limit(Now), Is.EqualTo(10));
    }

    [Test]
    public void A_learned_limit_outlives_a_quiet_minute_and_is_forgotten_after_the_keep_time()
    {
        var c = Start();
        Succeed(c, 4 + 8 + 16);
        Assert.Multiple(() =>
        {
            Assert.That(c.IsForgettable(Now.AddMinutes(1), TimeSpan.FromMinutes(10)), Is.False);
            Assert.That(c.IsForgettable(Now.AddMinutes(10), TimeSpan.FromMinutes(10)), Is.True);
            Assert.That(Start().IsForgettable(Now, TimeSpan.FromMinutes(10)), Is.True, "nothing learned yet");
        });
    }

    [Test]
    public void Never_grows_past_the_cap()
    {
        var c = Start();
        Succeed(c, 100_000);
        Assert.That(c.Limit(Now), Is.EqualTo(64));
    }

    [Test]
    public void Slow_successes_hold_the_limit()
    {
        var c = Start();
        Succeed(c, 100, TimeSpan.FromSeconds(2));
        Assert.That(c.Limit(Now), Is.EqualTo(4));
    }

    [TestCase(500)]
    [TestCase(503)]
    [TestCase(429)]
    [TestCase(null)] // timeout or connection failure
    public void Congestion_halves_it_but_never_below_one(int? status)
    {
        var c = Start();
        Succeed(c, 2_000);
        var before = c.Limit(Now);
        c.Observe(new AttemptResult(status, status is null ? "timeout" : null), Fast, Now);
        Assert.That(c.Limit(Now), Is.EqualTo(before / 2));
        for (var i = 0; i < 20; i++)
        {
            c.Observe(new AttemptResult(status, status is null ? "timeout" : null), Fast, Now);
        }

        Assert.That(c.Limit(Now), Is.EqualTo(1));
    }

    [TestCase(400)]
    [TestCase(404)]
    [TestCase(301)]
    public void Client_errors_and_redirects_say_nothing_about_load(int status)
    {
        var c = Start();
        c.Observe(new AttemptResult(status, null), Fast, Now);
        Assert.That(c.Limit(Now), Is.EqualTo(4));
    }

    [Test]
    public void Retry_after_pauses_the_endpoint_until_the_time_it_names()
    {
        var c = Start();
        c.Observe(new AttemptResult(429, null, TimeSpan.FromSeconds(30)), Fast, Now);
        Assert.Multiple(() =>
        {
            Assert.That(c.Limit(Now.AddSeconds(29)), Is.Zero);
            Assert.That(c.Limit(Now.AddSeconds(30)), Is.EqualTo(2), "halved, then free again");
            Assert.That(c.IsForgettable(Now.AddSeconds(10), TimeSpan.Zero), Is.False, "a pause is never forgotten before it ends");
        });
    }

    [Test]
    public void A_long_retry_after_pauses_the_endpoint_for_five_minutes_at_most()
    {
        var c = Start();
        c.Observe(new AttemptResult(503, null, TimeSpan.FromHours(6)), Fast, Now);
        Assert.Multiple(() =>
        {
            Assert.That(c.Limit(Now.AddMinutes(5).AddSeconds(-1)), Is.Zero);
            Assert.That(c.Limit(Now.AddMinutes(5)), Is.EqualTo(2), "free again after the capped pause");
        });
    }
}
