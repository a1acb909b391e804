namespace Causeloop.Domain.Inbound;

/// <summary>How a connector's inbound requests are verified and deduplicated: one scheme per kind.</summary>
public static class ConnectorKind
{
    public const string Custom = "custom";
    public const string StandardWebhooks = "standard_webhooks";
    public const string GitHub = "github";
    public const string Stripe = "stripe";
    public const string Shopify = "shopify";
    public const string Slack = "slack";
    public const string GitLab = "gitlab";
    public const string PagerDuty = "pagerduty";
    public const string Linear = "linear";
    public const string Jira = "jira";

    /// <summary>Every kind, with what its sender does (the OpenAPI enum's description).</summary>
    public static IReadOnlyDictionary<string, string> Descriptions { get; } = new Dictionary<string, string>
    {
        [Custom] = "x-causeloop-signature: hex HMAC-SHA256 of the body keyed with the whole secret; dedupe on x-causeloop-event-id.",
        [StandardWebhooks] = "webhook-signature (or svix-signature): v1,<base64 HMAC of {id}.{timestamp}.{body}> keyed with the base64-decoded part after whsec_; webhook-timestamp within the tolerance; dedupe on webhook-id.",
        [GitHub] = "X-Hub-Signature-256: sha256=<hex HMAC of the body>; dedupe on X-GitHub-Delivery; event type from X-GitHub-Event.",
        [Stripe] = "Stripe-Signature: t=<unix>,v1=<hex HMAC of {t}.{body}> keyed with the whole whsec_ string (not decoded); t within the tolerance; dedupe on the body's id.",
        [Shopify] = "X-Shopify-Hmac-Sha256: base64 HMAC of the body; dedupe on X-Shopify-Webhook-Id; event type from X-Shopify-Topic.",
        [Slack] = "X-Slack-Signature: v0=<hex HMAC of v0:{timestamp}:{body}> with X-Slack-Request-Timestamp within the tolerance; JSON or form bodies; answers the url_verification handshake.",
        [GitLab] = "X-Gitlab-Token equal to the secret, or GitLab's signing-token (Standard Webhooks) headers; dedupe on Idempotency-Key, else X-Gitlab-Event-UUID.",
        [PagerDuty] = "X-PagerDuty-Signature: v1=<hex HMAC of the body>[,v1=…]; dedupe on X-Webhook-Id; event type from the body's event.event_type.",
        [Linear] = "Linear-Signature: hex HMAC of the body; the body's webhookTimestamp (ms) within 60 s; dedupe on Linear-Delivery.",
        [Jira] = "X-Hub-Signature: sha256=<hex HMAC of the body>; dedupe on X-Atlassian-Webhook-Identifier; event type from the body's webhookEvent.",
    };

    public static IReadOnlyList<string> All { get; } = [.. Descriptions.Keys];

    public static bool IsKnown(string? kind) => kind is not null && Descriptions.ContainsKey(kind);
}
