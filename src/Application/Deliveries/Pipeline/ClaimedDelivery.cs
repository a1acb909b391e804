namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>A delivery leased by this worker, with what it needs to send the attempt.</summary>
public sealed class ClaimedDelivery
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid WebhookId { get; set; }
    public Guid EventId { get; set; }
    public string EventType { get; set; } = "";
    public byte[] Body { get; set; } = [];
    public int Attempt { get; set; }
    public Guid LeaseToken { get; set; }
    public string Url { get; set; } = "";
    public byte[] Secret { get; set; } = [];
    public byte[]? PreviousSecret { get; set; }
    public DateTime? PreviousSecretExpiresAt { get; set; }

    /// <summary>The trace context of the request that created the event (null when there was none).</summary>
    public string? TraceParent { get; set; }

    /// <summary>The event's ordering key (sent as <c>x-causeloop-ordering-key</c>), also on a manual redelivery.</summary>
    public string? OrderingKey { get; set; }

    /// <summary>The webhook's static headers, encrypted (null: none; SPEC §17).</summary>
    public byte[]? Headers { get; set; }

    /// <summary>The webhook's auth settings as stored (JSON; null: none; SPEC §17).</summary>
    public string? Auth { get; set; }

    /// <summary>The auth's secret, encrypted (the client secret or the certificate's private key).</summary>
    public byte[]? AuthSecret { get; set; }
}
