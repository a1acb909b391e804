namespace Causeloop.Domain.Deliveries;

/// <summary>
/// What the delivery rules remember of a webhook between attempts: its failing streak (since when every attempt has
/// failed, and how many), the alert rules' memory (SPEC §11), and whether it is enabled. <see cref="AfterAttempt"/> is
/// the one place that moves it on; the worker stores what it returns, under the webhook's row lock.
/// </summary>
/// <param name="FailingSince">When the first attempt of the current failing streak started (null: the last attempt succeeded).</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last success.</param>
/// <param name="FailingAlerted">Whether <c>endpoint.failing</c> was sent for the current streak.</param>
/// <param name="ExhaustedAlertedAt">When <c>message.attempt.exhausted</c> was last sent (the debounce window).</param>
/// <param name="RecoveryOwed">Whether a failing or exhausted alert was sent and no <c>message.attempt.recovered</c> since.</param>
/// <param name="Enabled">Whether the webhook is enabled (a disabled one is not disabled again).</param>
public sealed record WebhookHealth(
    DateTimeOffset? FailingSince, int ConsecutiveFailures, bool FailingAlerted, DateTimeOffset? ExhaustedAlertedAt, bool RecoveryOwed, bool Enabled)
{
    public static readonly WebhookHealth Healthy = new(null, 0, false, null, false, true);

    /// <summary>
    /// What one attempt does: the delivery's next state (<see cref="Delivery.RecordAttempt"/>, which disables a webhook
    /// failing for too long or answering 410), the failing streak, and the operational events — <c>endpoint.failing</c> on
    /// the <see cref="DeliveryRules.FailingAlertAfter"/>th consecutive failure (once per streak), <c>message.attempt.exhausted</c>
    /// when the delivery is dead (debounced), <c>endpoint.disabled</c>, and <c>message.attempt.recovered</c> on the first
    /// success after either alert.
    /// </summary>
    /// <param name="attempt">The number of the attempt that ended (1-based).</param>
    /// <param name="result">What it came to.</param>
    /// <param name="startedAt">When it started (a streak starts with its first failed attempt).</param>
    /// <param name="now">When it is recorded.</param>
    /// <param name="rules">The schedule, the disable period and the alert settings.</param>
    public HealthStep AfterAttempt(int attempt, AttemptResult result, DateTimeOffset startedAt, DateTimeOffset now, DeliveryRules rules)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(rules);
        var decision = Delivery.RecordAttempt(attempt, result, now, rules.Schedule, FailingSince, rules.DisableAfter);
        var alerts = new List<EndpointAlert>();
        if (result.IsSuccess)
        {
            if (RecoveryOwed)
            {
                alerts.Add(new EndpointAlert(EndpointAlerts.Recovered));
            }

            // The exhausted debounce window outlives the streak: a flapping endpoint does not get one alert per flap.
            return new HealthStep(this with { FailingSince = null, ConsecutiveFailures = 0, FailingAlerted = false, RecoveryOwed = false }, decision, alerts, null);
        }

        var next = this with { FailingSince = FailingSince ?? startedAt, ConsecutiveFailures = ConsecutiveFailures + 1 };
        if (!next.FailingAlerted && next.ConsecutiveFailures >= rules.FailingAlertAfter)
        {
            alerts.Add(new EndpointAlert(EndpointAlerts.Failing));
            next = next with { FailingAlerted = true, RecoveryOwed = true };
        }

        if (decision.Status == DeliveryStatus.Dead && (next.ExhaustedAlertedAt is not { } last || now - last >= rules.ExhaustedAlertDebounce))
        {
            alerts.Add(new EndpointAlert(EndpointAlerts.Exhausted));
            next = next with { ExhaustedAlertedAt = now, RecoveryOwed = true };
        }

        string? disabled = null;
        if (decision.DisableWebhookReason is { } reason && next.Enabled)
        {
            alerts.Add(new EndpointAlert(EndpointAlerts.Disabled, result.IsGone ? EndpointAlerts.ReasonGone : EndpointAlerts.ReasonFailingTooLong));
            next = next with { Enabled = false };
            disabled = reason;
        }

        return new HealthStep(next, decision, alerts, disabled);
    }

    /// <summary>
    /// A manual change of <c>enabled</c>: the alert it calls for (<see cref="EndpointAlerts.AfterManualChange"/>), and,
    /// when the webhook is enabled again, a fresh failing streak.
    /// </summary>
    public (WebhookHealth Health, EndpointAlert? Alert) AfterManualChange(bool enabled)
    {
        var alert = EndpointAlerts.AfterManualChange(Enabled, enabled);
        var next = enabled && !Enabled
            ? this with { Enabled = true, FailingSince = null, ConsecutiveFailures = 0, FailingAlerted = false }
            : this with { Enabled = enabled };
        return (next, alert);
    }
}
