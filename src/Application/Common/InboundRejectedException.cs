namespace Causeloop.Application.Common;

/// <summary>
/// An inbound request failed verification. Every cause (no or malformed signature, mismatch, unknown
/// connector, no enabled inbound webhook) is answered with the same 401, so the reason is only logged.
/// </summary>
public sealed class InboundRejectedException(string reason) : Exception("The request could not be authenticated."), IRejection
{
    public string Reason { get; } = reason;
}
