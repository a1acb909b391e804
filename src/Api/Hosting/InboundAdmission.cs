using Causeloop.Application.Abstractions;
using Causeloop.Domain.Inbound;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Hosting;

/// <summary>
/// The inbound rate limits, one fixed window of a second each, on the service's <see cref="TimeProvider"/>: a
/// connector's verified requests (<c>RateLimitPerSecond</c>); rejected requests per source, an IPv4 address or an
/// IPv6 /64 (<see cref="SourceNetwork"/>, <c>RejectedPerAddressPerSecond</c>), and all together
/// (<c>RejectedPerSecond</c>). Rejections never touch a connector's window, so a flood of forgeries at a connector
/// leaves its good requests alone.
/// </summary>
public sealed class InboundAdmission : IInboundAdmission
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly FixedWindowCounter<Guid> _verified;
    private readonly FixedWindowCounter<string> _rejectedPerAddress;
    private readonly FixedWindowCounter<bool> _rejected;

    public InboundAdmission(IOptions<CauseloopOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var inbound = options.Value.Inbound;
        _verified = new FixedWindowCounter<Guid>(time, inbound.RateLimitPerSecond, Window);
        _rejectedPerAddress = new FixedWindowCounter<string>(time, inbound.RejectedPerAddressPerSecond, Window);
        _rejected = new FixedWindowCounter<bool>(time, inbound.RejectedPerSecond, Window);
    }

    public bool TryAdmitVerified(Guid connectorId, out TimeSpan retryAfter) => _verified.TryAcquire(connectorId, out retryAfter);

    public bool TryAdmitRejected(string? remoteAddress, out TimeSpan retryAfter) =>
        // The overall budget is charged only when the address still has room, so one noisy address cannot spend it.
        _rejectedPerAddress.TryAcquire(SourceNetwork.Of(remoteAddress), out retryAfter) && _rejected.TryAcquire(true, out retryAfter);
}
