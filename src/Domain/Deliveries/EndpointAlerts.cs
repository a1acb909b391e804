namespace Causeloop.Domain.Deliveries;

/// <summary>What the alert rules remember of a webhook between attempts.</summary>
/// <param name="ConsecutiveFailures">Failed attempts since the last success.</param>
/// <param name="FailingAlerted">Whether <c>endpoint.failing</c> was sent for the current streak.</param>
/// <param name="ExhaustedAlertedAt">When <c>message.attempt.exhausted</c> was last sent (for the debounce window).</param>
/// <param name="RecoveryOwed">Whether a failing or exhausted alert was sent and no <c>message.attempt.recovered</c> since.</param>
public sealed record EndpointHealth(int ConsecutiveFailures, bool FailingAlerted, DateTimeOffset? ExhaustedAlertedAt, bool RecoveryOwed)
{
    public static readonly EndpointHealth Healthy = new(0, false, null, false);
}

/// <summary>An operational event a transition calls for; <see cref="Reason"/> only for <c>endpoint.disabled</c>.</summary>
public sealed record EndpointAlert(string Type, string? Reason = null);

/// <summary>When to alert: the failing threshold (5th consecutive failure) and the exhausted debounce window (1 h).</summary>
public sealed record AlertSettings(int FailingAfter, TimeSpan ExhaustedDebounce)
{
    public static readonly AlertSettings Default = new(5, TimeSpan.FromHours(1));
}

/// <summary>
/// The operational-event rules (SPEC §11): which alerts one recorded attempt, or a manual enable/disable, calls for,
/// and the webhook's health after it. Pure: the worker writes the alerts to the outbox in the same transaction as the
/// attempt (or the change), so an alert is neither lost nor sent twice for one transition.
/// </summary>
public static class EndpointAlerts
{
    public const string Failing = "endpoint.failing";
    public const string Disabled = "endpoint.disabled";
    public const string Enabled = "endpoint.enabled";
    public const string Exhausted = "message.attempt.exhausted";
    public const string Recovered = "message.attempt.recovered";

    public const string ReasonFailingTooLong = "failing_too_long";
    public const string ReasonGone = "gone";
    public const string ReasonManual = "manual";

    /// <param name="health">The webhook's health before the attempt.</param>
    /// <param name="result">What the attempt came to.</param>
    /// <param name="decision">The delivery's next state (<see cref="Delivery.RecordAttempt"/>).</param>
    /// <param name="webhookEnabled">Whether the webhook is still enabled (a disabled one is not disabled again).</param>
    /// <param name="now">When the attempt ended.</param>
    /// <param name="settings">Threshold and debounce.</param>
    public static (EndpointHealth Health, IReadOnlyList<EndpointAlert> Alerts) AfterAttempt(
        EndpointHealth health, AttemptResult result, DeliveryDecision decision, bool webhookEnabled, DateTimeOffset now, AlertSettings settings)
    {
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(settings);
        var alerts = new List<EndpointAlert>();
        if (result.IsSuccess)
        {
            if (health.RecoveryOwed)
            {
                alerts.Add(new EndpointAlert(Recovered));
            }

            // The debounce window outlives the streak: a flapping endpoint does not get one exhausted alert per flap.
            return (EndpointHealth.Healthy with { ExhaustedAlertedAt = health.ExhaustedAlertedAt }, alerts);
        }

        var next = health with { ConsecutiveFailures = health.ConsecutiveFailures + 1 };
        if (!next.FailingAlerted && next.ConsecutiveFailures >= settings.FailingAfter)
        {
            alerts.Add(new EndpointAlert(Failing));
            next = next with { FailingAlerted = true, RecoveryOwed = true };
        }

        if (decision.Status == DeliveryStatus.Dead && (next.ExhaustedAlertedAt is not { } last || now - last >= settings.ExhaustedDebounce))
        {
            alerts.Add(new EndpointAlert(Exhausted));
            next = next with { ExhaustedAlertedAt = now, RecoveryOwed = true };
        }

        if (decision.DisableWebhookReason is not null && webhookEnabled)
        {
            alerts.Add(new EndpointAlert(Disabled, result.IsGone ? ReasonGone : ReasonFailingTooLong));
        }

        return (next, alerts);
    }

    /// <summary>The alert a manual change of <c>enabled</c> calls for, if any.</summary>
    public static EndpointAlert? AfterManualChange(bool wasEnabled, bool isEnabled) =>
        (wasEnabled, isEnabled) switch
        {
            (true, false) => new EndpointAlert(Disabled, ReasonManual),
            (false, true) => new EndpointAlert(Enabled),
            _ => null,
        };
}
