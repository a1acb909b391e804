namespace Causeloop.Application.Common;

public static class Clock
{
    /// <summary>Now in UTC, truncated to the microsecond Postgres keeps, so what a response shows equals what is stored.</summary>
    public static DateTime UtcNow(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }
}
