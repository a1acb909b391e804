namespace Causeloop.Domain.Deliveries;

/// <summary>An operational event a transition calls for; <see cref="Reason"/> only for <c>endpoint.disabled</c>.</summary>
public sealed record EndpointAlert(string Type, string? Reason = null);
