namespace Causeloop.Domain.Inbound;

/// <summary>Why an inbound request was refused: written to the connector's rejection log, never told to the caller.</summary>
public static class RejectionReason
{
    public const string MissingSignature = "missing_signature";
    public const string MalformedSignature = "malformed_signature";
    public const string SignatureMismatch = "signature_mismatch";
    public const string StaleTimestamp = "stale_timestamp";
    public const string NoSecret = "no_secret";
    public const string BodyTooLarge = "body_too_large";
    public const string InvalidJson = "invalid_json";

    public static IReadOnlyList<string> All { get; } =
        [MissingSignature, MalformedSignature, SignatureMismatch, StaleTimestamp, NoSecret, BodyTooLarge, InvalidJson];
}
