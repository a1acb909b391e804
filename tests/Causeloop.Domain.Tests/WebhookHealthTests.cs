using Causeloop.Domain.Deliveries;

namespace Causeloop.Domain.Tests;

/// <summary>
/// §6's and §11's rules as one function, <see cref="WebhookHealth.AfterAttempt"/>: the delivery's next state, the failing
/// streak, the alerts and the disable. One test per transition, with an injected clock.
/// </summary>
public sealed class WebhookHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly AttemptResult Fail = new(500, null);
    private static readonly AttemptResult Ok = new(204, null);
    private static readonly DeliveryRules Rules = DeliveryRules.Default with { Schedule = new RetrySchedule(RetrySchedule.DefaultDelays, 0) };

    /// <summary>Runs attempts (number, result, minutes after T0) from <paramref name="start"/>; returns the last health and every alert.</summary>
    private static (WebhookHealth Health, List<string> Alerts, List<HealthStep> Steps) Run(WebhookHealth start, params (int Attempt, AttemptResult Result, double Minutes)[] attempts)
    {
        var health = start;
        var alerts = new List<string>();
        var steps = new List<HealthStep>();
        foreach (var (attempt, result, minutes) in attempts)
        {
            var step = health.AfterAttempt(attempt, result, T0.AddMinutes(minutes), T0.AddMinutes(minutes), Rules);
            steps.Add(step);
            health = step.Health;
            alerts.AddRange(step.Alerts.Select(a => a.Reason is null ? a.Type : $"{a.Type}:{a.Reason}"));
        }

        return (health, alerts, steps);
    }

    private static (int, AttemptResult, double)[] Failures(int count, double from = 0) =>
        [.. Enumerable.Range(0, count).Select(i => (1, Fail, from + i))];

    [Test]
    public void The_fifth_consecutive_failure_sends_failing_once_per_streak()
    {
        var (health, alerts, _) = Run(WebhookHealth.Healthy, Failures(12));
        Assert.Multiple(() =>
        {
            Assert.That(alerts, Is.EqualTo(new[] { EndpointAlerts.Failing }));
            Assert.That(health.ConsecutiveFailures, Is.EqualTo(12));
            Assert.That(health.FailingSince, Is.EqualTo(T0), "the streak starts with its first failed attempt");
            Assert.That(health.RecoveryOwed, Is.True);
        });
    }

    [Test]
    public void Four_failures_send_nothing_and_a_success_mid_streak_resets_it()
    {
        var (health, alerts, _) = Run(WebhookHealth.Healthy, [.. Failures(4), (1, Ok, 5), .. Failures(4, 6)]);
        Assert.Multiple(() =>
        {
            Assert.That(alerts, Is.Empty);
            Assert.That(health.ConsecutiveFailures, Is.EqualTo(4));
            Assert.That(health.FailingSince, Is.EqualTo(T0.AddMinutes(6)), "a new streak began after the success");
        });
    }

    [Test]
    public void Failing_throughout_the_disable_period_disables_with_its_reason_and_kills_the_delivery()
    {
        var failing = WebhookHealth.Healthy with { FailingSince = T0 - Rules.DisableAfter, ConsecutiveFailures = 40, FailingAlerted = true };
        var step = failing.AfterAttempt(2, Fail, T0, T0, Rules);
        Assert.Multiple(() =>
        {
            Assert.That(step.Decision.Status, Is.EqualTo(DeliveryStatus.Dead));
            Assert.That(step.Health.Enabled, Is.False);
            Assert.That(step.DisabledReason, Does.Contain("failed since"));
            Assert.That(step.Alerts, Does.Contain(new EndpointAlert(EndpointAlerts.Disabled, EndpointAlerts.ReasonFailingTooLong)));
        });
    }

    [Test]
    public void A_410_disables_with_gone()
    {
        var (health, alerts, steps) = Run(WebhookHealth.Healthy, (1, new AttemptResult(410, null), 0));
        Assert.Multiple(() =>
        {
            Assert.That(alerts, Does.Contain("endpoint.disabled:gone"));
            Assert.That(health.Enabled, Is.False);
            Assert.That(steps[0].Decision.Status, Is.EqualTo(DeliveryStatus.Dead));
        });
    }

    [Test]
    public void A_webhook_already_disabled_is_not_disabled_again()
    {
        var step = (WebhookHealth.Healthy with { Enabled = false }).AfterAttempt(1, new AttemptResult(410, null), T0, T0, Rules);
        Assert.Multiple(() =>
        {
            Assert.That(step.Alerts.Select(a => a.Type), Does.Not.Contain(EndpointAlerts.Disabled));
            Assert.That(step.DisabledReason, Is.Null);
        });
    }

    [Test]
    public void Exhausted_is_debounced_within_its_window_and_sent_again_after_it()
    {
        var last = RetrySchedule.Default.MaxAttempts;
        var (_, alerts, _) = Run(WebhookHealth.Healthy, (last, Fail, 0), (last, Fail, 30), (last, Fail, 59), (last, Fail, 61));
        Assert.That(alerts.Count(a => a == EndpointAlerts.Exhausted), Is.EqualTo(2));
    }

    [Test]
    public void The_debounce_window_outlives_a_success_in_between()
    {
        var last = RetrySchedule.Default.MaxAttempts;
        var (_, alerts, _) = Run(WebhookHealth.Healthy, (last, Fail, 0), (1, Ok, 1), (last, Fail, 2));
        Assert.That(alerts, Is.EqualTo(new[] { EndpointAlerts.Exhausted, EndpointAlerts.Recovered }));
    }

    [Test]
    public void Recovered_only_after_an_earlier_alert()
    {
        var (_, quiet, _) = Run(WebhookHealth.Healthy, [.. Failures(3), (1, Ok, 4)]);
        var (_, loud, _) = Run(WebhookHealth.Healthy, [.. Failures(5), (1, Ok, 6), (1, Ok, 7)]);
        Assert.Multiple(() =>
        {
            Assert.That(quiet, Is.Empty);
            Assert.That(loud, Is.EqualTo(new[] { EndpointAlerts.Failing, EndpointAlerts.Recovered }), "one recovered, not one per success");
        });
    }

    [Test]
    public void The_delivery_decision_is_the_state_machines()
    {
        var (_, _, steps) = Run(WebhookHealth.Healthy, (1, Fail, 0), (2, Ok, 1));
        Assert.Multiple(() =>
        {
            Assert.That(steps[0].Decision.Status, Is.EqualTo(DeliveryStatus.Failed));
            Assert.That(steps[0].Decision.NextAttemptAt, Is.EqualTo(T0 + RetrySchedule.DefaultDelays[0]));
            Assert.That(steps[1].Decision.Status, Is.EqualTo(DeliveryStatus.Succeeded));
        });
    }

    [Test]
    public void Manual_disable_and_enable_send_theirs_and_enabling_starts_a_fresh_streak()
    {
        var failing = WebhookHealth.Healthy with { FailingSince = T0, ConsecutiveFailures = 9, FailingAlerted = true, RecoveryOwed = true };
        var (disabled, disableAlert) = failing.AfterManualChange(enabled: false);
        var (enabled, enableAlert) = disabled.AfterManualChange(enabled: true);
        Assert.Multiple(() =>
        {
            Assert.That(disableAlert, Is.EqualTo(new EndpointAlert(EndpointAlerts.Disabled, EndpointAlerts.ReasonManual)));
            Assert.That(disabled.ConsecutiveFailures, Is.EqualTo(9), "disabling keeps the streak");
            Assert.That(enableAlert, Is.EqualTo(new EndpointAlert(EndpointAlerts.Enabled)));
            Assert.That(enabled, Is.EqualTo(WebhookHealth.Healthy with { RecoveryOwed = true }));
            Assert.That(enabled.AfterManualChange(enabled: true).Alert, Is.Null, "no change, no event");
            Assert.That(EndpointAlerts.AfterManualChange(false, false), Is.Null);
        });
    }

    [Test]
    public void Star_subscribers_do_not_get_operational_events_and_named_subscribers_do()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Webhooks.EventTypeFilter.Matches(["*"], EndpointAlerts.Failing), Is.False);
            Assert.That(Webhooks.EventTypeFilter.Matches(["*"], "sync.completed"), Is.True);
            Assert.That(Webhooks.EventTypeFilter.Matches([EndpointAlerts.Failing], EndpointAlerts.Failing), Is.True);
        });
    }
}
