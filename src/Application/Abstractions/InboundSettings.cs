namespace Causeloop.Application.Abstractions;

/// <summary>
/// Settings the inbound path needs: how far a provider's timestamp may be from now, either way
/// (<c>Causeloop:Inbound:TimestampTolerance</c>; Linear keeps its own 60 s), the body limit it reports on 413, and how long a
/// connector's verification material is reused (<c>EndpointCacheTtl</c>).
/// </summary>
public sealed record InboundSettings(TimeSpan TimestampTolerance, long MaxBodyBytes, TimeSpan EndpointCacheTtl)
{
    public static readonly TimeSpan DefaultTimestampTolerance = TimeSpan.FromSeconds(300);
}
