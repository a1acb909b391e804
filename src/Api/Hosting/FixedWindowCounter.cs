namespace Causeloop.Api.Hosting;

/// <summary>
/// Fixed-window rate limits, one window per key, counted on a <see cref="TimeProvider"/>'s clock: windows are aligned
/// to multiples of <c>window</c> of <see cref="TimeProvider.GetTimestamp"/>, so a test's fake clock decides exactly when
/// one ends (no timer replenishes anything). A key's count starts again at zero in each new window.
/// </summary>
/// <remarks>
/// At most about <see cref="MaxKeys"/> keys are kept: past it, keys whose window has ended are dropped, and if that
/// leaves more than half, all are (a flood of distinct keys then costs at most a fresh window each, which the overall
/// budgets still bound).
/// </remarks>
public sealed class FixedWindowCounter<TKey> where TKey : notnull
{
    public const int MaxKeys = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<TKey, Window> _windows = new();
    private readonly TimeProvider _time;
    private readonly int _permits;
    private readonly long _windowTicks;

    public FixedWindowCounter(TimeProvider time, int permitsPerWindow, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerWindow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _time = time;
        _permits = permitsPerWindow;
        _windowTicks = Math.Max(1, (long)(window.TotalSeconds * time.TimestampFrequency));
    }

    /// <summary>Counts one request of <paramref name="key"/> if its window has room; else how long until the next window.</summary>
    public bool TryAcquire(TKey key, out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        var index = now / _windowTicks;
        if (_windows.Count >= MaxKeys && !_windows.ContainsKey(key))
        {
            Trim(index);
        }

        var window = _windows.GetOrAdd(key, static _ => new Window());
        lock (window)
        {
            if (window.Index != index)
            {
                window.Index = index;
                window.Count = 0;
            }

            if (window.Count < _permits)
            {
                window.Count++;
                retryAfter = TimeSpan.Zero;
                return true;
            }
        }

        retryAfter = TimeSpan.FromSeconds((double)(((index + 1) * _windowTicks) - now) / _time.TimestampFrequency);
        return false;
    }

    private void Trim(long index)
    {
        foreach (var (key, window) in _windows)
        {
            if (Volatile.Read(ref window.Index) < index)
            {
                _windows.TryRemove(key, out _);
            }
        }

        if (_windows.Count > MaxKeys / 2)
        {
            _windows.Clear();
        }
    }

    private sealed class Window
    {
        public long Index = long.MinValue;
        public int Count;
    }
}
