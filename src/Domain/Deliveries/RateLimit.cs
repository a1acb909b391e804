namespace Causeloop.Domain.Deliveries;

/// <summary>
/// A webhook's rate limit (SPEC §17): at most <c>rate</c> deliveries start per second, a burst being at most one second's
/// worth, so no window of T seconds sees more than (T + 1) × rate starts. A token bucket holding at most <c>rate</c>
/// tokens, full to begin with, refilled at <c>rate</c> per second; each start spends one. The claim carries it out.
/// </summary>
public static class RateLimit
{
    public const int Min = 1;
    public const int Max = 10_000;

    /// <summary>Null (no limit beyond the adaptive concurrency) or 1–10,000 deliveries per second.</summary>
    public static bool IsValid(long? perSecond) => perSecond is null or (>= Min and <= Max);

    /// <summary>What is wrong with <paramref name="perSecond"/> as a webhook's rate limit, or null when it is valid.</summary>
    public static string? Validate(long? perSecond) =>
        IsValid(perSecond) ? null : $"rate_limit must be a whole number of deliveries per second from {Min} to {Max:N0}, or null for no limit.";

    /// <summary>
    /// The tokens in the bucket at <paramref name="now"/>: what was left at <paramref name="refilledAt"/> plus what has
    /// been refilled since, never more than one second's worth; a bucket never used is full.
    /// </summary>
    public static double Available(int perSecond, double? tokens, DateTime? refilledAt, DateTime now) =>
        tokens is { } left && refilledAt is { } at
            ? Math.Min(perSecond, left + (perSecond * Math.Max(0, (now - at).TotalSeconds)))
            : perSecond;

    /// <summary>How many deliveries to the webhook may start at <paramref name="now"/> (no limit: <see cref="int.MaxValue"/>).</summary>
    public static int MayStart(int? perSecond, double? tokens, DateTime? refilledAt, DateTime now) =>
        perSecond is { } rate ? (int)Math.Floor(Available(rate, tokens, refilledAt, now)) : int.MaxValue;

    /// <summary>The tokens left once <paramref name="started"/> deliveries started at <paramref name="now"/>.</summary>
    public static double AfterStarting(int perSecond, double? tokens, DateTime? refilledAt, DateTime now, int started) =>
        Available(perSecond, tokens, refilledAt, now) - started;
}
