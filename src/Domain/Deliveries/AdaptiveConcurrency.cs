namespace Causeloop.Domain.Deliveries;

/// <summary>
/// How many attempts one endpoint gets at once, adapted to how it answers, as TCP adapts its window: it starts at
/// <see cref="Initial"/> in slow start, doubling for every window of quick 2xx answers (a window is as many answers as the
/// limit), until the first sign of overload (a timeout, a connection failure, 429 or 5xx) halves it and ends slow start;
/// from then on it grows by one per window (additive increase) up to <see cref="Max"/>, and is halved again on each sign
/// of overload. A <c>Retry-After</c> pauses it until the time it names (at most <see cref="MaxPause"/>: the pause holds
/// back fresh deliveries too, while each delivery's own retry follows the Retry-After through the schedule). Other
/// answers (3xx, 4xx) say nothing about load and leave it as it is. Not thread-safe: one per endpoint, used under the
/// caller's lock.
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

    /// <summary>Whether the endpoint has not shown a sign of overload yet (the limit doubles per window).</summary>
    public bool SlowStart { get; private set; } = true;

    /// <summary>No new attempt before this (a <c>Retry-After</c> on 429/503).</summary>
    public DateTimeOffset? PausedUntil { get; private set; }

    /// <summary>When it last answered; a learned limit is kept for a while after (see <see cref="IsForgettable"/>).</summary>
    public DateTimeOffset? LastObserved { get; private set; }

    /// <summary>Attempts allowed at once now (0 while paused).</summary>
    public int Limit(DateTimeOffset now) => PausedUntil > now ? 0 : _limit;

    /// <summary>
    /// Whether the entry can be forgotten: back at its starting state, or not heard from for <paramref name="keep"/> (so
    /// a limit learned under load outlives a quiet minute, and the next burst starts where the last one ended).
    /// </summary>
    public bool IsForgettable(DateTimeOffset now, TimeSpan keep) =>
        !(PausedUntil > now) && (_limit == Initial || LastObserved is not { } last || now - last >= keep);

    public void Observe(AttemptResult result, TimeSpan duration, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        LastObserved = now;
        if (result.IsSuccess)
        {
            // One window: as many quick successes as the limit.
            if (duration <= Quick && ++_quickSuccesses >= _limit)
            {
                _quickSuccesses = 0;
                _limit = Math.Min(Max, SlowStart ? _limit * 2 : _limit + 1);
            }

            return;
        }

        if (result.StatusCode is null or 429 or >= 500)
        {
            _limit = Math.Max(1, _limit / 2);
            _quickSuccesses = 0;
            SlowStart = false;
        }

        if (result.RetryAfter is { } wait && result.StatusCode is 429 or 503 && wait > TimeSpan.Zero)
        {
            var until = now + (wait > MaxPause ? MaxPause : wait);
            PausedUntil = PausedUntil > until ? PausedUntil : until;
        }
    }
}
