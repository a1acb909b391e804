using System.Globalization;

namespace Causeloop.Domain.Inbound;

/// <summary>
/// <c>standard_webhooks</c> (Svix and the Standard Webhooks libraries): <c>webhook-signature</c> (or <c>svix-signature</c>)
/// holds space-separated <c>v1,&lt;base64&gt;</c> entries over <c>{id}.{timestamp}.{body}</c>, keyed with the
/// base64-decoded part after <c>whsec_</c>; the timestamp must be within the tolerance either way.
/// </summary>
internal sealed class StandardWebhooksScheme : IInboundScheme
{
    public string Kind => ConnectorKind.StandardWebhooks;

    public InboundVerdict Verify(InboundRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var verdict = VerifySigned(request, out var id);
        return verdict ?? InboundVerdict.Verified(id, Mac.JsonValue(request.Body, "type"));
    }

    /// <summary>True when the request carries Standard Webhooks headers (either spelling).</summary>
    public static bool IsSigned(InboundHeaders headers) =>
        headers.First("webhook-signature") is not null || headers.First("svix-signature") is not null;

    /// <summary>Null when the signature verifies (and <paramref name="id"/> is the message id); else the rejection.</summary>
    public static InboundVerdict? VerifySigned(InboundRequest request, out string? id)
    {
        var svix = request.Headers.First("webhook-signature") is null && request.Headers.First("svix-signature") is not null;
        id = request.Headers.First(svix ? "svix-id" : "webhook-id");
        var timestamp = request.Headers.First(svix ? "svix-timestamp" : "webhook-timestamp");
        var header = request.Headers.First(svix ? "svix-signature" : "webhook-signature");
        if (id is null || timestamp is null || header is null)
        {
            return InboundVerdict.Rejected(RejectionReason.MissingSignature);
        }

        var presented = new List<byte[]>();
        foreach (var entry in header.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(Mac.MaxPresented * 2))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0 && entry[..comma] == "v1" && Mac.TryBase64(entry[(comma + 1)..], out var bytes))
            {
                presented.Add(bytes);
            }
        }

        if (presented.Count == 0 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return InboundVerdict.Rejected(RejectionReason.MalformedSignature);
        }

        var keys = request.Secrets.Where(s => s.HasStandardKey).Select(s => s.StandardKey);
        if (!Mac.AnyMatches(keys, $"{id}.{timestamp}.", request.Body.Span, presented))
        {
            return InboundVerdict.Rejected(RejectionReason.SignatureMismatch);
        }

        return Mac.WithinTolerance(seconds, request.Now, request.Tolerance) ? null : InboundVerdict.Rejected(RejectionReason.StaleTimestamp);
    }
}

/// <summary>
/// <c>stripe</c>: <c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=…]</c> over <c>{t}.{body}</c>, keyed with the whole
/// secret string, <c>whsec_</c> included and not decoded (unlike Standard Webhooks); any <c>v1</c> may match.
/// </summary>
internal sealed class StripeScheme : IInboundScheme
{
    public string Kind => ConnectorKind.Stripe;

    public InboundVerdict Verify(InboundRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.First("Stripe-Signature");
        if (header is null)
        {
            return InboundVerdict.Rejected(RejectionReason.MissingSignature);
        }

        string? timestamp = null;
        var presented = new List<byte[]>();
        foreach (var part in header.Split(',').Take(Mac.MaxPresented * 2))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var (name, value) = (part[..equals].Trim(), part[(equals + 1)..].Trim());
            if (name == "t")
            {
                timestamp = value;
            }
            else if (name == "v1" && Mac.TryHex(value, out var bytes))
            {
                presented.Add(bytes);
            }
        }

        if (timestamp is null || presented.Count == 0 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return InboundVerdict.Rejected(RejectionReason.MalformedSignature);
        }

        if (!Mac.AnyMatches(request.Secrets.Select(s => s.CauseloopKey), timestamp + ".", request.Body.Span, presented))
        {
            return InboundVerdict.Rejected(RejectionReason.SignatureMismatch);
        }

        return Mac.WithinTolerance(seconds, request.Now, request.Tolerance)
            ? InboundVerdict.Verified(Mac.JsonValue(request.Body, "id"), Mac.JsonValue(request.Body, "type"))
            : InboundVerdict.Rejected(RejectionReason.StaleTimestamp);
    }
}

/// <summary>
/// <c>slack</c>: <c>X-Slack-Signature: v0=&lt;hex&gt;</c> over <c>v0:{X-Slack-Request-Timestamp}:{body}</c>, the timestamp
/// within the tolerance. Bodies are JSON (Events API) or form-encoded (slash commands, interactivity).
/// </summary>
internal sealed class SlackScheme : IInboundScheme
{
    public string Kind => ConnectorKind.Slack;

    public InboundVerdict Verify(InboundRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.First("X-Slack-Signature");
        var timestamp = request.Headers.First("X-Slack-Request-Timestamp");
        if (header is null || timestamp is null)
        {
            return InboundVerdict.Rejected(RejectionReason.MissingSignature);
        }

        if (!header.StartsWith("v0=", StringComparison.Ordinal) || !Mac.TryHex(header[3..], out var presented)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return InboundVerdict.Rejected(RejectionReason.MalformedSignature);
        }

        if (!Mac.AnyMatches(request.Secrets.Select(s => s.CauseloopKey), $"v0:{timestamp}:", request.Body.Span, [presented]))
        {
            return InboundVerdict.Rejected(RejectionReason.SignatureMismatch);
        }

        return Mac.WithinTolerance(seconds, request.Now, request.Tolerance)
            ? InboundVerdict.Verified(Mac.JsonValue(request.Body, "event_id"), Mac.JsonValue(request.Body, "event", "type") ?? Mac.JsonValue(request.Body, "type"))
            : InboundVerdict.Rejected(RejectionReason.StaleTimestamp);
    }
}

/// <summary>
/// <c>gitlab</c>: <c>X-Gitlab-Token</c> equal to the secret (constant time), or, from GitLab's signing tokens, the
/// Standard Webhooks headers verified as <c>standard_webhooks</c> does. Dedupe on <c>Idempotency-Key</c>, else
/// <c>X-Gitlab-Event-UUID</c>.
/// </summary>
internal sealed class GitLabScheme : IInboundScheme
{
    public string Kind => ConnectorKind.GitLab;

    public InboundVerdict Verify(InboundRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (StandardWebhooksScheme.IsSigned(request.Headers))
        {
            var rejected = StandardWebhooksScheme.VerifySigned(request, out _);
            if (rejected is not null)
            {
                return rejected;
            }
        }
        else
        {
            var token = request.Headers.Values("X-Gitlab-Token") is [var first, ..] ? first : null;
            if (string.IsNullOrEmpty(token))
            {
                return InboundVerdict.Rejected(RejectionReason.MissingSignature);
            }

            var matched = false;
            foreach (var secret in request.Secrets)
            {
                matched |= Mac.SecretEquals(secret.CauseloopKey, token);
            }

            if (!matched)
            {
                return InboundVerdict.Rejected(RejectionReason.SignatureMismatch);
            }
        }

        return InboundVerdict.Verified(
            request.Headers.First("Idempotency-Key") ?? request.Headers.First("X-Gitlab-Event-UUID"),
            request.Headers.First("X-Gitlab-Event"));
    }
}
