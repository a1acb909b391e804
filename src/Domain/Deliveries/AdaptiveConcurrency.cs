namespace Causeloop.Domain.Deliveries;

/// <summary>
/// How many attempts one endpoint gets at once, adapted to how it answers (AIMD, as TCP does): it starts at
/// <see cref="Initial"/>, grows by one for every window of quick 2xx answers up to <see cref="Max"/>, is halved on a
/// timeout, a connection failure, 429 or 5xx, and is paused until the time a <c>Retry-After</c> names (at most
/// <see cref="MaxPause"/>: the pause holds back fresh deliveries too, while each delivery's own retry follows the
/// Retry-After through the schedule). Other
/// answers (3xx, 4xx) say nothing about load and leave it as it is. Not thread-safe: one per endpoint, used
/// under the caller's lock.
/// </summary>
public sealed class AdaptiveConcurrency(int initial, int max, TimeSpan quick)
{
    /// <summary>The longest an endpoint's <c>Retry-After</c> pauses all its deliveries.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(5);

    private int _limit = Math.Clamp(initial, 1, max);
    private int _quickSuccesses;

    public int Initial { get; } = Math.Clamp(initial, 1, max);

    public int Max { get; } = max;

    /// <summary>A 2xx slower than this holds the limit instead of growing it.</summary>
    public TimeSpan Quick { get; } = quick;

    /// <summary>No new attempt before this (a <c>Retry-After</c> on 429/503).</summary>
    public DateTimeOffset? PausedUntil { get; private set; }

    /// <summary>Attempts allowed at once now (0 while paused).</summary>
    public int Limit(DateTimeOffset now) => PausedUntil > now ? 0 : _limit;

    /// <summary>Whether the endpoint is back at its starting state and the entry can be forgotten.</summary>
    public bool IsAtRest(DateTimeOffset now) => _limit == Initial && !(PausedUntil > now);

    public void Observe(AttemptResult result, TimeSpan duration, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsSuccess)
        {
            // One more slot per window (as many quick successes as the limit).
            if (duration <= Quick && ++_quickSuccesses >= _limit)
            {
                _quickSuccesses = 0;
                _limit = Math.Min(Max, _limit + 1);
            }

            return;
        }

        if (result.StatusCode is null or 429 or >= 500)
        {
            _limit = Math.Max(1, _limit / 2);
            _quickSuccesses = 0;
        }

        if (result.RetryAfter is { } wait && result.StatusCode is 429 or 503 && wait > TimeSpan.Zero)
        {
            var until = now + (wait > MaxPause ? MaxPause : wait);
            PausedUntil = PausedUntil > until ? PausedUntil : until;
        }
    }
}
