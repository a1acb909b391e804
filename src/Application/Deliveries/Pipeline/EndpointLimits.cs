namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>Per-webhook concurrency limits that differ from the default, as parallel arrays for the claim query.</summary>
public sealed record EndpointLimits(Guid[] WebhookIds, int[] Limits)
{
    public static readonly EndpointLimits None = new([], []);
}
