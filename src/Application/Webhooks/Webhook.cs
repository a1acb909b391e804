using Causeloop.Domain.Deliveries;

namespace Causeloop.Application.Webhooks;

/// <summary>A webhook record as stored, secrets encrypted. Outbound: url and event types; inbound: a connector.</summary>
public sealed record Webhook
{
    public required Guid Id { get; init; }
    public required Guid WorkspaceId { get; init; }
    public required string Direction { get; init; }
    public string? Url { get; init; }
    public Guid? ConnectorId { get; init; }
    public string[]? EventTypes { get; init; }
    public required bool Enabled { get; init; }
    public string? Description { get; init; }
    public string? DisabledReason { get; init; }

    /// <summary>The payload filter (§16) as stored: compact JSON the domain checked, or null.</summary>
    public string? Filter { get; init; }

    /// <summary>Deliveries per second (§17; null: no limit beyond the adaptive concurrency).</summary>
    public int? RateLimit { get; init; }
    /// <summary>The encrypted current secret; empty when read for display.</summary>
    public byte[] Secret { get; init; } = [];
    public byte[]? PreviousSecret { get; init; }
    public DateTime? PreviousSecretExpiresAt { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime UpdatedAt { get; init; }

    /// <summary>The static headers' names, to show (outbound; null: none).</summary>
    public string[]? HeaderNames { get; init; }

    /// <summary>The static headers, names and values, encrypted (<see cref="EndpointHeaderValues"/>); not read for display.</summary>
    public byte[]? Headers { get; init; }

    /// <summary>The auth's settings as stored (<see cref="StoredEndpointAuth"/> JSON; null: no auth).</summary>
    public string? Auth { get; init; }

    /// <summary>The auth's secret, encrypted; not read for display.</summary>
    public byte[]? AuthSecret { get; init; }

    /// <summary>Since when every delivery has failed (read for the operational events; written by the worker).</summary>
    public DateTime? FailingSince { get; init; }

    /// <summary>Failed attempts since the last success (read for the operational events; written by the worker).</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Whether <c>endpoint.failing</c> was sent for the current streak (written by the worker).</summary>
    public bool FailingAlerted { get; init; }

    /// <summary>When <c>message.attempt.exhausted</c> was last sent (written by the worker).</summary>
    public DateTime? ExhaustedAlertedAt { get; init; }

    /// <summary>Whether a <c>message.attempt.recovered</c> is owed (written by the worker).</summary>
    public bool RecoveryOwed { get; init; }

    /// <summary>The delivery rules' memory of this webhook (<see cref="WebhookHealth"/>).</summary>
    public WebhookHealth Health => new(Utc(FailingSince), ConsecutiveFailures, FailingAlerted, Utc(ExhaustedAlertedAt), RecoveryOwed, Enabled);

    /// <summary>This webhook with <paramref name="health"/> (its streak, alert memory and <c>enabled</c>).</summary>
    public Webhook WithHealth(WebhookHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        return this with
        {
            FailingSince = health.FailingSince?.UtcDateTime, ConsecutiveFailures = health.ConsecutiveFailures, FailingAlerted = health.FailingAlerted,
            ExhaustedAlertedAt = health.ExhaustedAlertedAt?.UtcDateTime, RecoveryOwed = health.RecoveryOwed, Enabled = health.Enabled,
        };
    }

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
