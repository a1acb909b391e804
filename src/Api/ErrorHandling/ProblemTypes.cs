namespace Causeloop.Api.ErrorHandling;

/// <summary>Problem <c>type</c> URIs share one namespace.</summary>
public static class ProblemTypes
{
    private const string Base = "https://causeloop.dev/problems/";

    public const string Validation = Base + "validation";
    public const string NotFound = Base + "not-found";
    public const string Conflict = Base + "conflict";
    public const string Unauthenticated = Base + "unauthenticated";
    public const string InsufficientScope = Base + "insufficient-scope";
    public const string MissingCapability = Base + "missing-capability";
    public const string InvalidSignature = Base + "invalid-signature";
    public const string PayloadTooLarge = Base + "payload-too-large";
    public const string RateLimited = Base + "rate-limited";
    public const string Unavailable = Base + "service-unavailable";
    public const string Internal = Base + "internal";
}
