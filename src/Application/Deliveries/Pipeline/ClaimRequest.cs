namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// What to lease: up to <see cref="Limit"/> deliveries due at <see cref="Now"/> (the service's clock, for schedules), at most
/// <see cref="PerEndpoint"/> under way per webhook or that webhook's own limit in <see cref="EndpointLimits"/>, each for
/// <see cref="Lease"/> on the database's clock.
/// </summary>
public sealed record ClaimRequest(DateTime Now, int Limit, int PerEndpoint, EndpointLimits EndpointLimits, TimeSpan Lease);
