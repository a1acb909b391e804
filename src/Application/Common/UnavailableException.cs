namespace Causeloop.Application.Common;

/// <summary>
/// The service cannot take the request right now (it is stopping, the database cannot be used, a commit failed, too many
/// writes are waiting); answered 503 with <c>Retry-After</c>. Nothing was changed, or nothing that was acknowledged.
/// </summary>
public sealed class UnavailableException : Exception
{
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public UnavailableException(string message)
        : base(message)
    {
    }

    public UnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public UnavailableException(string message, TimeSpan retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>When to try again.</summary>
    public TimeSpan RetryAfter { get; } = DefaultRetryAfter;
}
