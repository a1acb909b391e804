namespace Causeloop.Application.Common;

/// <summary>A rate limit was reached; answered 429 with <c>Retry-After</c>. Nothing was stored.</summary>
public sealed class RateLimitedException(TimeSpan retryAfter, string message) : Exception(message), IRejection
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
