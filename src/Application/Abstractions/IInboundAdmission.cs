namespace Causeloop.Application.Abstractions;

/// <summary>
/// The inbound rate limits. Verified requests count against their connector's limit only; rejected ones count
/// apart, per source address and overall, so a flood of forgeries can never use up a connector's limit.
/// Each method answers whether the request may go on, and if not, how long the caller should wait.
/// </summary>
public interface IInboundAdmission
{
    /// <summary>One verified request to <paramref name="connectorId"/>, before it is stored.</summary>
    bool TryAdmitVerified(Guid connectorId, out TimeSpan retryAfter);

    /// <summary>
    /// One request that is, or is likely to be, rejected: charged to its source (the address, or its /64 for IPv6)
    /// and to the overall rejection budget. Called for a rejection, and before looking up a connector this instance does not know.
    /// </summary>
    bool TryAdmitRejected(string? remoteAddress, out TimeSpan retryAfter);
}
