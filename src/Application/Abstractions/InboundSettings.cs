namespace Causeloop.Application.Abstractions;

/// <summary>
/// Settings the inbound handler needs: how far a provider's timestamp may be from now, either way
/// (<c>Causeloop:Inbound:TimestampTolerance</c>; Linear keeps its own 60 s), and the body limit it reports on 413.
/// </summary>
public sealed record InboundSettings(TimeSpan TimestampTolerance, long MaxBodyBytes)
{
    public static readonly TimeSpan DefaultTimestampTolerance = TimeSpan.FromSeconds(300);
}
