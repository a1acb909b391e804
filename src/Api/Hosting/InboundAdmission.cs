using System.Threading.RateLimiting;
using Causeloop.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Hosting;

/// <summary>
/// The inbound rate limits, one fixed window of a second each: a connector's verified requests
/// (<c>RateLimitPerSecond</c>); rejected requests per source address (<c>RejectedPerAddressPerSecond</c>) and
/// all together (<c>RejectedPerSecond</c>). Rejections never touch a connector's window, so a flood of forgeries
/// at a connector leaves its good requests alone.
/// </summary>
public sealed class InboundAdmission : IInboundAdmission, IDisposable
{
    private readonly PartitionedRateLimiter<Guid> _verified;
    private readonly PartitionedRateLimiter<string> _rejectedPerAddress;
    private readonly RateLimiter _rejected;

    public InboundAdmission(IOptions<CauseloopOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var inbound = options.Value.Inbound;
        _verified = PartitionedRateLimiter.Create<Guid, Guid>(id => RateLimitPartition.GetFixedWindowLimiter(id, _ => PerSecond(inbound.RateLimitPerSecond)));
        _rejectedPerAddress = PartitionedRateLimiter.Create<string, string>(address =>
            RateLimitPartition.GetFixedWindowLimiter(address, _ => PerSecond(inbound.RejectedPerAddressPerSecond)));
        _rejected = new FixedWindowRateLimiter(PerSecond(inbound.RejectedPerSecond));
    }

    public bool TryAdmitVerified(Guid connectorId, out TimeSpan retryAfter) => Take(_verified.AttemptAcquire(connectorId), out retryAfter);

    public bool TryAdmitRejected(string? remoteAddress, out TimeSpan retryAfter)
    {
        // Both are charged only when the address still has room, so one noisy address cannot spend the overall budget.
        using var perAddress = _rejectedPerAddress.AttemptAcquire(remoteAddress ?? string.Empty);
        if (!perAddress.IsAcquired)
        {
            return Take(perAddress, out retryAfter, dispose: false);
        }

        return Take(_rejected.AttemptAcquire(), out retryAfter);
    }

    public void Dispose()
    {
        _verified.Dispose();
        _rejectedPerAddress.Dispose();
        _rejected.Dispose();
    }

    private static bool Take(RateLimitLease lease, out TimeSpan retryAfter, bool dispose = true)
    {
        try
        {
            retryAfter = lease.IsAcquired ? TimeSpan.Zero
                : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            return lease.IsAcquired;
        }
        finally
        {
            if (dispose)
            {
                lease.Dispose();
            }
        }
    }

    private static FixedWindowRateLimiterOptions PerSecond(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true };
}
