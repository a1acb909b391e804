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
    /// <summary>The encrypted current secret; empty when read for display.</summary>
    public byte[] Secret { get; init; } = [];
    public byte[]? PreviousSecret { get; init; }
    public DateTime? PreviousSecretExpiresAt { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime UpdatedAt { get; init; }

    /// <summary>Since when every delivery has failed (read for the operational events; written by the worker).</summary>
    public DateTime? FailingSince { get; init; }

    /// <summary>Failed attempts since the last success (read for the operational events; written by the worker).</summary>
    public int ConsecutiveFailures { get; init; }
}
