namespace Causeloop.Domain.Portal;

/// <summary>
/// How often a portal session may enable or disable one webhook: at most <see cref="Limit"/> changes in any
/// <see cref="Window"/>. Each change emits an operational event (§11: <c>endpoint.disabled</c> reason manual,
/// <c>endpoint.enabled</c>) to the workspace's subscribers, so an unbounded toggle would be an unbounded event stream.
/// </summary>
public sealed record ManualChangeLimit(int Limit, TimeSpan Window)
{
    public static readonly ManualChangeLimit Default = new(10, TimeSpan.FromHours(1));

    /// <summary>
    /// Null when one more change is allowed now, given the webhook's changes after <c>now - Window</c>; otherwise how long
    /// until the oldest of them leaves the window.
    /// </summary>
    public TimeSpan? WaitBefore(IReadOnlyCollection<DateTime> recentChanges, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(recentChanges);
        var within = recentChanges.Where(at => at > now - Window).Order().ToArray();
        return within.Length < Limit ? null : within[within.Length - Limit] + Window - now;
    }
}
