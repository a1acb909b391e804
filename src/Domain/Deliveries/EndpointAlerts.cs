namespace Causeloop.Domain.Deliveries;

/// <summary>
/// The operational event types (SPEC §11), the reasons of <c>endpoint.disabled</c>, and the alert a manual change of
/// <c>enabled</c> calls for. What an attempt calls for is <see cref="WebhookHealth.AfterAttempt"/>'s to decide.
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

    /// <summary>The alert a manual change of <c>enabled</c> calls for, if any.</summary>
    public static EndpointAlert? AfterManualChange(bool wasEnabled, bool isEnabled) =>
        (wasEnabled, isEnabled) switch
        {
            (true, false) => new EndpointAlert(Disabled, ReasonManual),
            (false, true) => new EndpointAlert(Enabled),
            _ => null,
        };
}
