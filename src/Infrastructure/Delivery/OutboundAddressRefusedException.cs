namespace Causeloop.Infrastructure.Delivery;

/// <summary>The endpoint's host resolves only to addresses deliveries may not reach (loopback, private, link-local…).</summary>
public sealed class OutboundAddressRefusedException(string host, IEnumerable<System.Net.IPAddress> addresses)
    : Exception($"Refused to connect to {host}: it resolves only to internal addresses ({string.Join(", ", addresses)}).");
