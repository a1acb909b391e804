namespace Causeloop.Domain.Webhooks;

/// <summary>An entry of the event-type catalog (SPEC §7).</summary>
public sealed record EventType(string Name, string Description, bool Operational = false, string Example = "{}")
{
    public const string Wildcard = "*";

    public static readonly EventType SyncCompleted = new("sync.completed", "A sync of a connected source system finished.", Example: """{"source":"jira","items":42,"duration_ms":1830}""");
    public static readonly EventType IssueIngested = new("issue.ingested", "An inbound event from a connector was verified and stored.", Example: """{"inbound_event_id":"0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b","connector_id":"0196f1a2-7c3d-7e4f-8a5b-000000000001","received_at":"2026-11-29T12:00:00Z","source":{"kind":"github","event_type":"issues","delivery_id":"72d3162e-cc78-11e3-81ab-4c9367dc0958"},"payload":{"action":"opened"}}""");
    public static readonly EventType PatternDetected = new("pattern.detected", "Causeloop detected a recurring pattern across issues.", Example: """{"pattern":"checkout-timeout","occurrences":17,"window":"1h"}""");
    public static readonly EventType WebhookTest = new("webhook.test", "A test event sent on request to a single webhook.", Example: """{"message":"This is a test event from Causeloop."}""");

    public static readonly EventType EndpointFailing = new(Deliveries.EndpointAlerts.Failing,
        "A webhook's endpoint failed its 5th consecutive attempt (once per failing streak).", true, """{"webhook_id":"0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b","url":"https://example.com/hooks","fail_since":"2026-11-29T11:00:00Z","consecutive_failures":5,"last_attempt":{"delivery_id":"0196f1a2-7c3d-7e4f-8a5b-0000000000d1","at":"2026-11-29T12:00:00Z","status_code":500,"error":null}}""");
    public static readonly EventType EndpointDisabled = new(Deliveries.EndpointAlerts.Disabled,
        "A webhook was disabled: failing_too_long, gone (it answered 410) or manual.", true, """{"webhook_id":"0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b","url":"https://example.com/hooks","fail_since":"2026-11-24T12:00:00Z","consecutive_failures":41,"last_attempt":{"delivery_id":"0196f1a2-7c3d-7e4f-8a5b-0000000000d1","at":"2026-11-29T12:00:00Z","status_code":410,"error":null},"reason":"gone"}""");
    public static readonly EventType EndpointEnabled = new(Deliveries.EndpointAlerts.Enabled, "A webhook was enabled again.", true, """{"webhook_id":"0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b","url":"https://example.com/hooks"}""");
    public static readonly EventType AttemptExhausted = new(Deliveries.EndpointAlerts.Exhausted,
        "A delivery ran out of retries and is dead (at most one per webhook per hour).", true, """{"webhook_id":"0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b","event_id":"0196f1a2-7c3d-7e4f-8a5b-0000000000e1","delivery_id":"0196f1a2-7c3d-7e4f-8a5b-0000000000d1","last_attempt":{"delivery_id":"0196f1a2-7c3d-7e4f-8a5b-0000000000d1","at":"2026-11-29T12:00:00Z","status_code":null,"error":"timeout: no answer within 15 s"}}""");
    public static readonly EventType AttemptRecovered = new(Deliveries.EndpointAlerts.Recovered,
        "A webhook's endpoint succeeded again after a failing or exhausted alert.", true, """{"webhook_id":"0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b","event_id":"0196f1a2-7c3d-7e4f-8a5b-0000000000e2","delivery_id":"0196f1a2-7c3d-7e4f-8a5b-0000000000d2"}""");

    public static IReadOnlyList<EventType> Catalog { get; } =
        [SyncCompleted, IssueIngested, PatternDetected, WebhookTest, EndpointFailing, EndpointDisabled, EndpointEnabled, AttemptExhausted, AttemptRecovered];

    /// <summary>
    /// Operational events (about a webhook's own health) go only to webhooks subscribed to them by name: <c>"*"</c>
    /// does not include them, and none is ever delivered to the webhook it is about.
    /// </summary>
    public static bool IsOperational(string? name) => Catalog.Any(t => t.Name == name && t.Operational);

    public static bool IsKnown(string? name) => Catalog.Any(t => t.Name == name);
}
