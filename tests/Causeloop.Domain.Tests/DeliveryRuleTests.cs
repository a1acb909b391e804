using Causeloop.Domain.Deliveries;

namespace Causeloop.Domain.Tests;

public sealed class DeliveryRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Default_schedule_is_5s_5m_30m_2h_5h_10h_10h_then_dead()
    {
        var noJitter = new RetrySchedule(RetrySchedule.DefaultDelays, jitter: 0.2, random: () => 0.5);
        var expected = new[] { 5.0, 300, 1800, 7200, 18000, 36000, 36000 };
        for (var attempt = 1; attempt <= expected.Length; attempt++)
        {
            Assert.That((noJitter.NextAttemptAt(attempt, Now)!.Value - Now).TotalSeconds, Is.EqualTo(expected[attempt - 1]).Within(0.001));
        }

        Assert.Multiple(() =>
        {
            Assert.That(noJitter.MaxAttempts, Is.EqualTo(8));
            Assert.That(noJitter.NextAttemptAt(8, Now), Is.Null);
        });
    }

    [Test]
    public void Jitter_stays_within_twenty_percent_both_ways()
    {
        var low = new RetrySchedule(RetrySchedule.DefaultDelays, 0.2, () => 0.0);
        var high = new RetrySchedule(RetrySchedule.DefaultDelays, 0.2, () => 0.999999);
        Assert.Multiple(() =>
        {
            Assert.That((low.NextAttemptAt(2, Now)!.Value - Now).TotalSeconds, Is.EqualTo(240).Within(0.01));
            Assert.That((high.NextAttemptAt(2, Now)!.Value - Now).TotalSeconds, Is.EqualTo(360).Within(0.01));
        });
    }

    [Test]
    public void Retry_after_lengthens_the_delay_and_is_capped_at_24_hours()
    {
        var schedule = RetrySchedule.Default;
        Assert.Multiple(() =>
        {
            Assert.That(schedule.NextAttemptAt(1, Now, TimeSpan.FromSeconds(120)), Is.EqualTo(Now.AddSeconds(120)));
            Assert.That(schedule.NextAttemptAt(1, Now, TimeSpan.FromDays(3)), Is.EqualTo(Now.AddHours(24)));
            Assert.That(schedule.NextAttemptAt(8, Now, TimeSpan.FromSeconds(1)), Is.Null, "no attempts left");
        });
    }

    [Test]
    public void Retry_after_never_shortens_the_schedule()
    {
        var noJitter = new RetrySchedule(RetrySchedule.DefaultDelays, jitter: 0.2, random: () => 0.5);
        for (var attempt = 1; attempt < noJitter.MaxAttempts; attempt++)
        {
            var scheduled = noJitter.NextAttemptAt(attempt, Now)!.Value;
            Assert.That(noJitter.NextAttemptAt(attempt, Now, TimeSpan.FromSeconds(1)), Is.EqualTo(scheduled), $"after attempt {attempt}");
        }
    }

    [Test]
    public void A_2xx_succeeds()
    {
        var decision = Delivery.RecordAttempt(3, new AttemptResult(204, null), Now, RetrySchedule.Default, Now.AddDays(-1), Delivery.DefaultDisableAfter);
        Assert.That(decision, Is.EqualTo(new DeliveryDecision(DeliveryStatus.Succeeded, null, null)));
    }

    [TestCase(200, true)]
    [TestCase(204, true)]
    [TestCase(299, true)]
    [TestCase(199, false)]
    [TestCase(300, false)]
    [TestCase(500, false)]
    [TestCase(null, false)]
    public void Only_a_2xx_answer_counts_as_delivered(int? status, bool delivered) =>
        Assert.Multiple(() =>
        {
            Assert.That(AttemptResult.IsSuccessStatus(status), Is.EqualTo(delivered));
            Assert.That(new AttemptResult(status, status is null ? "timeout" : null).IsSuccess, Is.EqualTo(delivered));
        });

    [TestCase(500)]
    [TestCase(302)]
    [TestCase(404)]
    [TestCase(429)]
    public void Anything_else_fails_and_is_scheduled_again(int status)
    {
        var decision = Delivery.RecordAttempt(1, new AttemptResult(status, null), Now, RetrySchedule.Default, null, Delivery.DefaultDisableAfter);
        Assert.Multiple(() =>
        {
            Assert.That(decision.Status, Is.EqualTo(DeliveryStatus.Failed));
            Assert.That(decision.NextAttemptAt, Is.InRange(Now.AddSeconds(4), Now.AddSeconds(6)));
            Assert.That(decision.DisableWebhookReason, Is.Null);
        });
    }

    [Test]
    public void A_network_error_fails_like_a_bad_status()
    {
        var decision = Delivery.RecordAttempt(1, new AttemptResult(null, "connection refused"), Now, RetrySchedule.Default, null, Delivery.DefaultDisableAfter);
        Assert.That(decision.Status, Is.EqualTo(DeliveryStatus.Failed));
    }

    [Test]
    public void The_last_failed_attempt_is_dead()
    {
        var decision = Delivery.RecordAttempt(8, new AttemptResult(500, null), Now, RetrySchedule.Default, null, Delivery.DefaultDisableAfter);
        Assert.That(decision, Is.EqualTo(new DeliveryDecision(DeliveryStatus.Dead, null, null)));
    }

    [Test]
    public void Gone_is_dead_at_once_and_disables_the_webhook()
    {
        var decision = Delivery.RecordAttempt(1, new AttemptResult(410, null), Now, RetrySchedule.Default, null, Delivery.DefaultDisableAfter);
        Assert.Multiple(() =>
        {
            Assert.That(decision.Status, Is.EqualTo(DeliveryStatus.Dead));
            Assert.That(decision.DisableWebhookReason, Does.Contain("410"));
        });
    }

    [Test]
    public void A_webhook_failing_for_the_whole_disable_period_is_disabled()
    {
        var justUnder = Delivery.RecordAttempt(2, new AttemptResult(500, null), Now, RetrySchedule.Default, Now.AddDays(-5).AddMinutes(1), TimeSpan.FromDays(5));
        var over = Delivery.RecordAttempt(2, new AttemptResult(500, null), Now, RetrySchedule.Default, Now.AddDays(-5), TimeSpan.FromDays(5));
        Assert.Multiple(() =>
        {
            Assert.That(justUnder.DisableWebhookReason, Is.Null);
            Assert.That(justUnder.Status, Is.EqualTo(DeliveryStatus.Failed));
            Assert.That(over.DisableWebhookReason, Is.Not.Null);
            Assert.That(over.Status, Is.EqualTo(DeliveryStatus.Dead));
        });
    }
}
