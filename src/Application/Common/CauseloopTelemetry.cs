using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Causeloop.Application.Common;

/// <summary>
/// The service's own metrics and spans (OpenTelemetry picks them up by name). Labels never carry an id, a URL or a
/// secret: only a connector kind and an outcome.
/// </summary>
public static class CauseloopTelemetry
{
    public const string MeterName = "Causeloop";
    public const string DeliverySourceName = "Causeloop.Delivery";

    public static readonly Meter Meter = new(MeterName, "1.0");
    public static readonly ActivitySource Delivery = new(DeliverySourceName, "1.0");

    /// <summary><c>causeloop_inbound_requests_total{kind,outcome}</c>.</summary>
    public static readonly Counter<long> InboundRequests = Meter.CreateCounter<long>(
        "causeloop.inbound.requests", description: "Inbound requests by connector kind and outcome (accepted, duplicate, rejected, rate_limited, too_large, invalid, handshake, busy, timeout, unavailable).");

    /// <summary><c>causeloop_delivery_attempts_total{outcome}</c>.</summary>
    public static readonly Counter<long> DeliveryAttempts = Meter.CreateCounter<long>(
        "causeloop.delivery.attempts", description: "Delivery attempts by outcome (success, http_error, timeout, network_error).");

    /// <summary><c>causeloop_delivery_attempt_duration_seconds</c>.</summary>
    public static readonly Histogram<double> AttemptDuration = Meter.CreateHistogram<double>(
        "causeloop.delivery.attempt.duration", unit: "s", description: "How long delivery attempts took, the whole exchange.");

    public static void CountInbound(string kind, string outcome) =>
        InboundRequests.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Counts one finished attempt and its duration, by outcome.</summary>
    public static void CountAttempt(Deliveries.Pipeline.AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var outcome = new KeyValuePair<string, object?>("outcome", AttemptOutcome(attempt.Result));
        DeliveryAttempts.Add(1, outcome);
        AttemptDuration.Record(attempt.DurationMs / 1000.0, outcome);
    }

    /// <summary>The outcome label of an attempt: never its URL or status text, only its class.</summary>
    public static string AttemptOutcome(Domain.Deliveries.AttemptResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.IsSuccess ? "success"
            : result.StatusCode is not null ? "http_error"
            : result.Error?.StartsWith("timeout", StringComparison.Ordinal) == true ? "timeout"
            : "network_error";
    }
}
