namespace Causeloop.Domain.Inbound;

/// <summary>
/// What a scheme says of a request: verified, with the provider's dedupe id and source event type (null where the
/// kind has none), or rejected with a <see cref="RejectionReason"/>.
/// </summary>
public sealed record InboundVerdict
{
    private InboundVerdict(bool isVerified, string? reason, string? dedupeId, string? eventType)
    {
        IsVerified = isVerified;
        Reason = reason;
        DedupeId = dedupeId;
        EventType = eventType;
    }

    public bool IsVerified { get; }

    public string? Reason { get; }

    public string? DedupeId { get; }

    public string? EventType { get; }

    public static InboundVerdict Verified(string? dedupeId, string? eventType) =>
        new(true, null, string.IsNullOrWhiteSpace(dedupeId) ? null : dedupeId.Trim(), string.IsNullOrWhiteSpace(eventType) ? null : eventType.Trim());

    public static InboundVerdict Rejected(string reason) => new(false, reason, null, null);
}

/// <summary>Everything a scheme may look at: the raw bytes, the headers, the live secrets (newest first) and the clock.</summary>
public sealed record InboundRequest(
    ReadOnlyMemory<byte> Body,
    InboundHeaders Headers,
    IReadOnlyList<Signing.SigningSecret> Secrets,
    DateTimeOffset Now,
    TimeSpan Tolerance);

/// <summary>One provider's signature scheme. No HTTP, no I/O: bytes, headers, secrets and the clock in, a verdict out.</summary>
public interface IInboundScheme
{
    string Kind { get; }

    InboundVerdict Verify(InboundRequest request);
}
