namespace Causeloop.Domain.Deliveries;

/// <summary>What one HTTP attempt came to: a status code, or an error (timeout, refused, circuit open…).</summary>
public sealed record AttemptResult(int? StatusCode, string? Error, TimeSpan? RetryAfter = null)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public bool IsGone => StatusCode == 410;
}
