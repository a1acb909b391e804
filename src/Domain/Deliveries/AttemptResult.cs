namespace Causeloop.Domain.Deliveries;

/// <summary>What one HTTP attempt came to: a status code, or an error (timeout, refused, circuit open…).</summary>
public sealed record AttemptResult(int? StatusCode, string? Error, TimeSpan? RetryAfter = null)
{
    /// <summary>The first status code that counts as delivered.</summary>
    public const int FirstSuccessStatus = 200;

    /// <summary>The last status code that counts as delivered: any 2xx does.</summary>
    public const int LastSuccessStatus = 299;

    public bool IsSuccess => IsSuccessStatus(StatusCode);

    public bool IsGone => StatusCode == 410;

    /// <summary>Whether an answer with this status code delivered the event (2xx); no answer (an error) did not.</summary>
    public static bool IsSuccessStatus(int? statusCode) => statusCode is >= FirstSuccessStatus and <= LastSuccessStatus;
}
