namespace Causeloop.Domain.Inbound;

/// <summary>How a scheme's signature header is written.</summary>
internal enum SignatureEncoding
{
    Hex,
    Base64,
}

/// <summary>
/// The common shape: an HMAC-SHA256 of the raw body keyed with the secret's UTF-8 bytes, in one header, optionally
/// behind a prefix (<c>sha256=</c>, <c>v1=</c>), optionally several comma-separated or repeated (any one matching).
/// </summary>
internal abstract class BodySignatureScheme : IInboundScheme
{
    public abstract string Kind { get; }

    protected abstract string Header { get; }

    protected virtual string Prefix => string.Empty;

    protected virtual SignatureEncoding Encoding => SignatureEncoding.Hex;

    /// <summary>Whether the header may carry several signatures (comma-separated or repeated).</summary>
    protected virtual bool Several => false;

    public InboundVerdict Verify(InboundRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Headers.Values(Header)
            .SelectMany(v => Several ? v.Split(',') : [v])
            .Select(v => v.Trim())
            .Where(v => v.Length > 0)
            .Take(Mac.MaxPresented + 1)
            .ToList();
        if (values.Count == 0)
        {
            return InboundVerdict.Rejected(RejectionReason.MissingSignature);
        }

        if (values.Count > (Several ? Mac.MaxPresented : 1))
        {
            return InboundVerdict.Rejected(RejectionReason.MalformedSignature);
        }

        var presented = new List<byte[]>();
        foreach (var value in values)
        {
            if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var encoded = value[Prefix.Length..];
            if (Encoding == SignatureEncoding.Hex ? Mac.TryHex(encoded, out var bytes) : Mac.TryBase64(encoded, out bytes))
            {
                presented.Add(bytes);
            }
        }

        if (presented.Count == 0)
        {
            return InboundVerdict.Rejected(RejectionReason.MalformedSignature);
        }

        if (!Mac.AnyMatches(request.Secrets.Select(s => s.CauseloopKey), string.Empty, request.Body.Span, presented))
        {
            return InboundVerdict.Rejected(RejectionReason.SignatureMismatch);
        }

        return Fresh(request) ? InboundVerdict.Verified(DedupeId(request), EventType(request)) : InboundVerdict.Rejected(RejectionReason.StaleTimestamp);
    }

    protected virtual bool Fresh(InboundRequest request) => true;

    protected abstract string? DedupeId(InboundRequest request);

    protected abstract string? EventType(InboundRequest request);
}

/// <summary><c>custom</c>: the Causeloop signature (hex, several values allowed), dedupe on <c>x-causeloop-event-id</c>.</summary>
internal sealed class CustomScheme : BodySignatureScheme
{
    public override string Kind => ConnectorKind.Custom;

    protected override string Header => Signing.PayloadSignature.HeaderName;

    protected override bool Several => true;

    protected override string? DedupeId(InboundRequest request) => request.Headers.Values("x-causeloop-event-id") is [var first, ..] ? first : null;

    protected override string? EventType(InboundRequest request) => null;
}

internal sealed class GitHubScheme : BodySignatureScheme
{
    public override string Kind => ConnectorKind.GitHub;

    protected override string Header => "X-Hub-Signature-256";

    protected override string Prefix => "sha256=";

    protected override string? DedupeId(InboundRequest request) => request.Headers.First("X-GitHub-Delivery");

    protected override string? EventType(InboundRequest request) => request.Headers.First("X-GitHub-Event");
}

internal sealed class ShopifyScheme : BodySignatureScheme
{
    public override string Kind => ConnectorKind.Shopify;

    protected override string Header => "X-Shopify-Hmac-Sha256";

    protected override SignatureEncoding Encoding => SignatureEncoding.Base64;

    protected override string? DedupeId(InboundRequest request) => request.Headers.First("X-Shopify-Webhook-Id");

    protected override string? EventType(InboundRequest request) => request.Headers.First("X-Shopify-Topic");
}

internal sealed class PagerDutyScheme : BodySignatureScheme
{
    public override string Kind => ConnectorKind.PagerDuty;

    protected override string Header => "X-PagerDuty-Signature";

    protected override string Prefix => "v1=";

    protected override bool Several => true;

    protected override string? DedupeId(InboundRequest request) => request.Headers.First("X-Webhook-Id");

    protected override string? EventType(InboundRequest request) => Mac.JsonValue(request.Body, "event", "event_type");
}

/// <summary><c>linear</c>: hex HMAC of the body; the body's <c>webhookTimestamp</c> (ms) within 60 s whatever the tolerance.</summary>
internal sealed class LinearScheme : BodySignatureScheme
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(60);

    public override string Kind => ConnectorKind.Linear;

    protected override string Header => "Linear-Signature";

    protected override bool Fresh(InboundRequest request) =>
        long.TryParse(Mac.JsonValue(request.Body, "webhookTimestamp"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
        && Math.Abs(request.Now.ToUnixTimeMilliseconds() - ms) <= Tolerance.TotalMilliseconds;

    protected override string? DedupeId(InboundRequest request) => request.Headers.First("Linear-Delivery");

    protected override string? EventType(InboundRequest request) => request.Headers.First("Linear-Event");
}

internal sealed class JiraScheme : BodySignatureScheme
{
    public override string Kind => ConnectorKind.Jira;

    protected override string Header => "X-Hub-Signature";

    protected override string Prefix => "sha256=";

    protected override string? DedupeId(InboundRequest request) => request.Headers.First("X-Atlassian-Webhook-Identifier");

    protected override string? EventType(InboundRequest request) => Mac.JsonValue(request.Body, "webhookEvent");
}
