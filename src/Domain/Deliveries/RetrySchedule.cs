namespace Causeloop.Domain.Deliveries;

/// <summary>
/// When a failed delivery is tried again: the n-th delay after the n-th failed attempt, with ±jitter. The schedule
/// is the floor: a <c>Retry-After</c> given by the endpoint (429/503) may lengthen a delay, never shorten it (the
/// delay is the larger of the two), and is capped at <see cref="MaxRetryAfter"/>. So an endpoint that throttles with
/// <c>Retry-After: 1</c> on every answer still gets the whole schedule, not every attempt within seconds.
/// </summary>
public sealed class RetrySchedule
{
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(24);

    public static IReadOnlyList<TimeSpan> DefaultDelays { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    private readonly TimeSpan[] _delays;
    private readonly double _jitter;
    private readonly Func<double> _random;

    /// <param name="delays">Delay after each failed attempt; its length is the number of retries.</param>
    /// <param name="jitter">Fraction of the delay to vary by, in both directions (0.2 = ±20%).</param>
    /// <param name="random">A source of numbers in [0, 1); <see cref="Random.Shared"/> when null.</param>
    public RetrySchedule(IEnumerable<TimeSpan> delays, double jitter = 0.2, Func<double>? random = null)
    {
        _delays = delays.ToArray();
        if (_delays.Any(d => d < TimeSpan.Zero))
        {
            throw new ArgumentException("Retry delays cannot be negative.", nameof(delays));
        }

        if (jitter is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), "Jitter must be in [0, 1).");
        }

        _jitter = jitter;
        _random = random ?? Random.Shared.NextDouble;
    }

    public static RetrySchedule Default { get; } = new(DefaultDelays);

    /// <summary>The number of attempts in all: the first plus one per delay.</summary>
    public int MaxAttempts => _delays.Length + 1;

    /// <summary>
    /// When to try again after attempt number <paramref name="attempt"/> (1-based) failed,
    /// or null when that was the last attempt.
    /// </summary>
    public DateTimeOffset? NextAttemptAt(int attempt, DateTimeOffset now, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (attempt > _delays.Length)
        {
            return null;
        }

        var delay = _delays[attempt - 1];
        var factor = 1 + (((_random() * 2) - 1) * _jitter);
        var scheduled = TimeSpan.FromTicks((long)(delay.Ticks * factor));
        if (retryAfter is { } requested && requested > scheduled)
        {
            return now + (requested > MaxRetryAfter ? MaxRetryAfter : requested);
        }

        return now + scheduled;
    }
}
