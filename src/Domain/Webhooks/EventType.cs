namespace Causeloop.Domain.Webhooks;

/// <summary>
/// An entry of the event-type catalog (SPEC §7, §18): its name, what it means, an example <c>data</c> and the JSON Schema
/// (draft 2020-12) of its <c>data</c>, which the example satisfies (a test holds each to it).
/// </summary>
public sealed record EventType(string Name, string Description, bool Operational = false, string Example = "{}")
{
    public const string Wildcard = "*";

    public static readonly EventType SyncCompleted = new("sync.completed", "A sync of a connected source system finished.", Example: """{"source":"jira","items":42,"duration_ms":1830}""");
    public static readonly EventType IssueIngested = new("issue.ingested", "An inbound event from a connector was verified and stored.", Example: """{"inbound_event_id":"0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b","connector_id":"0196f1a2-7c3d-7e4f-8a5b-000000000001","received_at":"2026-11-29T12:00:00Z","source":{"kind":"github","event_type":"issues","delivery_id":"72d3162e-cc78-11e3-81ab-4c9367dc0958"},"payload":{"action":"opened"}}""");
    public static readonly EventType PatternDetected = new("pattern.detected", "Causeloop detected a recurring pattern across issues.", Example: """{"pattern":"checkout-timeout","occurrences":17,"window":"1h"}""");
    public static readonly EventType WebhookTest = new("webhook.test", "A test event sent on request to a single webhook.", Example: """{"webhook_id":"0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b","message":"This is a test event from Causeloop."}""");

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

    /// <summary>The JSON Schema (draft 2020-12) of this type's <c>data</c>.</summary>
    public string Schema => Schemas[Name];

    private static readonly Dictionary<string, string> Schemas = new(StringComparer.Ordinal)
    {
        [SyncCompleted.Name] = """{"type":"object","description":"Published with POST /v1/events: any object; these are the fields Causeloop's own syncs send.","properties":{"source":{"type":"string","description":"The source system that was synced."},"items":{"type":"integer","minimum":0,"description":"How many items the sync brought in."},"duration_ms":{"type":"integer","minimum":0}}}""",
        [IssueIngested.Name] = """{"type":"object","properties":{"inbound_event_id":{"type":"string","format":"uuid"},"connector_id":{"type":"string","format":"uuid"},"received_at":{"type":"string","format":"date-time"},"source":{"type":"object","properties":{"kind":{"type":"string"},"event_type":{"type":["string","null"]},"delivery_id":{"type":["string","null"]}},"required":["kind","event_type","delivery_id"],"additionalProperties":false},"payload":{"description":"The body the connector received, as JSON."}},"required":["inbound_event_id","connector_id","received_at","source","payload"],"additionalProperties":false}""",
        [PatternDetected.Name] = """{"type":"object","description":"Published with POST /v1/events: any object; these are the fields Causeloop's pattern detection sends.","properties":{"pattern":{"type":"string"},"occurrences":{"type":"integer","minimum":1},"window":{"type":"string","description":"The time window the occurrences fell in, such as 1h."}}}""",
        [WebhookTest.Name] = """{"type":"object","properties":{"webhook_id":{"type":"string","format":"uuid"},"message":{"type":"string"}},"required":["webhook_id","message"],"additionalProperties":false}""",
        [EndpointFailing.Name] = """{"type":"object","properties":{"webhook_id":{"type":"string","format":"uuid"},"url":{"type":"string","format":"uri"},"fail_since":{"type":["string","null"],"format":"date-time"},"consecutive_failures":{"type":"integer","minimum":0},"last_attempt":{"type":["object","null"],"description":"The attempt that raised the alert (null for a manual change).","properties":{"delivery_id":{"type":"string","format":"uuid"},"at":{"type":"string","format":"date-time"},"status_code":{"type":["integer","null"]},"error":{"type":["string","null"]}},"required":["delivery_id","at","status_code","error"],"additionalProperties":false}},"required":["webhook_id","url","fail_since","consecutive_failures","last_attempt"],"additionalProperties":false}""",
        [EndpointDisabled.Name] = """{"type":"object","properties":{"webhook_id":{"type":"string","format":"uuid"},"url":{"type":"string","format":"uri"},"fail_since":{"type":["string","null"],"format":"date-time"},"consecutive_failures":{"type":"integer","minimum":0},"last_attempt":{"type":["object","null"],"description":"The attempt that raised the alert (null for a manual change).","properties":{"delivery_id":{"type":"string","format":"uuid"},"at":{"type":"string","format":"date-time"},"status_code":{"type":["integer","null"]},"error":{"type":["string","null"]}},"required":["delivery_id","at","status_code","error"],"additionalProperties":false},"reason":{"enum":["failing_too_long","gone","manual"]}},"required":["webhook_id","url","fail_since","consecutive_failures","last_attempt","reason"],"additionalProperties":false}""",
        [EndpointEnabled.Name] = """{"type":"object","properties":{"webhook_id":{"type":"string","format":"uuid"},"url":{"type":"string","format":"uri"}},"required":["webhook_id","url"],"additionalProperties":false}""",
        [AttemptExhausted.Name] = """{"type":"object","properties":{"webhook_id":{"type":"string","format":"uuid"},"event_id":{"type":"string","format":"uuid"},"delivery_id":{"type":"string","format":"uuid"},"last_attempt":{"type":["object","null"],"description":"The attempt that raised the alert (null for a manual change).","properties":{"delivery_id":{"type":"string","format":"uuid"},"at":{"type":"string","format":"date-time"},"status_code":{"type":["integer","null"]},"error":{"type":["string","null"]}},"required":["delivery_id","at","status_code","error"],"additionalProperties":false}},"required":["webhook_id","event_id","delivery_id","last_attempt"],"additionalProperties":false}""",
        [AttemptRecovered.Name] = """{"type":"object","properties":{"webhook_id":{"type":"string","format":"uuid"},"event_id":{"type":"string","format":"uuid"},"delivery_id":{"type":"string","format":"uuid"}},"required":["webhook_id","event_id","delivery_id"],"additionalProperties":false}""",
    };
}
