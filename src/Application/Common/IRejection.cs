namespace Causeloop.Application.Common;

/// <summary>
/// Marks an exception that refuses a request as designed (the caller's input, a limit, a protection against load),
/// not a failure of the service: answered 4xx, or 503 with <c>Retry-After</c> when too many inbound bodies arrive at
/// once. It is logged at Debug only, so a flood of refusals cannot become a flood of logs.
/// </summary>
public interface IRejection;
