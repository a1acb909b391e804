using Causeloop.Domain.Deliveries;

namespace Causeloop.Domain.Tests;

/// <summary>§11's rules, one test per transition, with an injected clock.</summary>
public sealed class EndpointAlertsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertSettings Settings = AlertSettings.Default;
    private static readonly AttemptResult Fail = new(500, null);
    private static readonly AttemptResult Ok = new(204, null);
    private static readonly DeliveryDecision Retry = new(DeliveryStatus.Failed, T0.AddMinutes(5), null);
    private static readonly DeliveryDecision Dead = new(DeliveryStatus.Dead, null, null);
    private static readonly DeliveryDecision Succeeded = new(DeliveryStatus.Succeeded, null, null);

    private static (EndpointHealth Health, List<string> Alerts) Run(EndpointHealth start, params (AttemptResult Result, DeliveryDecision Decision, DateTimeOffset At)[] attempts)
    {
        var health = start;
        var alerts = new List<string>();
        foreach (var (result, decision, at) in attempts)
        {
            var (next, raised) = EndpointAlerts.AfterAttempt(health, result, decision, webhookEnabled: true, at, Settings);
            health = next;
            alerts.AddRange(raised.Select(a => a.Reason is null ? a.Type : $"{a.Type}:{a.Reason}"));
        }

        return (health, alerts);
    }

    private static (AttemptResult, DeliveryDecision, DateTimeOffset)[] Failures(int count, DateTimeOffset? from = null) =>
        [.. Enumerable.Range(0, count).Select(i => (Fail, Retry, (from ?? T0).AddMinutes(i)))];

    [Test]
    public void The_fifth_consecutive_failure_sends_failing_once_per_streak()
    {
        var (health, alerts) = Run(EndpointHealth.Healthy, Failures(12));
        Assert.Multiple(() =>
        {
            Assert.That(alerts, Is.EqualTo(new[] { EndpointAlerts.Failing }));
            Assert.That(health.ConsecutiveFailures, Is.EqualTo(12));
            Assert.That(health.RecoveryOwed, Is.True);
        });
    }

    [Test]
    public void Four_failures_send_nothing_and_a_success_mid_streak_resets_it()
    {
        var (_, alerts) = Run(EndpointHealth.Healthy, [.. Failures(4), (Ok, Succeeded, T0.AddMinutes(5)), .. Failures(4, T0.AddMinutes(6))]);
        Assert.That(alerts, Is.Empty);
    }

    [Test]
    public void Failing_too_long_disables_with_its_reason_and_a_410_with_gone()
    {
        var (_, tooLong) = Run(EndpointHealth.Healthy, (Fail, new DeliveryDecision(DeliveryStatus.Dead, null, "every delivery failed for 5 days"), T0));
        var (_, gone) = Run(EndpointHealth.Healthy, (new AttemptResult(410, null), new DeliveryDecision(DeliveryStatus.Dead, null, "410"), T0));
        Assert.Multiple(() =>
        {
            Assert.That(tooLong, Does.Contain("endpoint.disabled:failing_too_long"));
            Assert.That(gone, Does.Contain("endpoint.disabled:gone"));
        });
    }

    [Test]
    public void A_webhook_already_disabled_is_not_disabled_again()
    {
        var (_, raised) = EndpointAlerts.AfterAttempt(EndpointHealth.Healthy, Fail, new DeliveryDecision(DeliveryStatus.Dead, null, "x"), webhookEnabled: false, T0, Settings);
        Assert.That(raised.Select(a => a.Type), Does.Not.Contain(EndpointAlerts.Disabled));
    }

    [Test]
    public void Exhausted_is_debounced_within_its_window_and_sent_again_after_it()
    {
        var (_, alerts) = Run(EndpointHealth.Healthy,
            (Fail, Dead, T0), (Fail, Dead, T0.AddMinutes(30)), (Fail, Dead, T0.AddMinutes(59)), (Fail, Dead, T0.AddMinutes(61)));
        Assert.That(alerts.Count(a => a == EndpointAlerts.Exhausted), Is.EqualTo(2));
    }

    [Test]
    public void The_debounce_window_outlives_a_success_in_between()
    {
        var (_, alerts) = Run(EndpointHealth.Healthy, (Fail, Dead, T0), (Ok, Succeeded, T0.AddMinutes(1)), (Fail, Dead, T0.AddMinutes(2)));
        Assert.That(alerts, Is.EqualTo(new[] { EndpointAlerts.Exhausted, EndpointAlerts.Recovered }));
    }

    [Test]
    public void Recovered_only_after_an_earlier_alert()
    {
        var (_, quiet) = Run(EndpointHealth.Healthy, [.. Failures(3), (Ok, Succeeded, T0.AddMinutes(4))]);
        var (_, loud) = Run(EndpointHealth.Healthy, [.. Failures(5), (Ok, Succeeded, T0.AddMinutes(6)), (Ok, Succeeded, T0.AddMinutes(7))]);
        Assert.Multiple(() =>
        {
            Assert.That(quiet, Is.Empty);
            Assert.That(loud, Is.EqualTo(new[] { EndpointAlerts.Failing, EndpointAlerts.Recovered }), "one recovered, not one per success");
        });
    }

    [Test]
    public void Manual_disable_and_enable_send_theirs_and_no_change_sends_nothing()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EndpointAlerts.AfterManualChange(true, false), Is.EqualTo(new EndpointAlert(EndpointAlerts.Disabled, EndpointAlerts.ReasonManual)));
            Assert.That(EndpointAlerts.AfterManualChange(false, true), Is.EqualTo(new EndpointAlert(EndpointAlerts.Enabled)));
            Assert.That(EndpointAlerts.AfterManualChange(true, true), Is.Null);
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
