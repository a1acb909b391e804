using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure;

/// <summary>The settings Infrastructure needs, read from <c>Causeloop:*</c> configuration by the host.</summary>
public sealed record InfrastructureOptions(string ConnectionString, byte[] SecretsKey)
{
    /// <summary>How long a connector's verification material is reused; a change on another instance is seen within it.</summary>
    public TimeSpan EndpointCacheTtl { get; init; } = TimeSpan.FromSeconds(1);

    public GroupCommitOptions GroupCommit { get; init; } = new();

    public Retention.RetentionOptions Retention { get; init; } = new();

    /// <summary>How often the queue gauges are sampled (never per scrape).</summary>
    public TimeSpan QueueGaugeInterval { get; init; } = TimeSpan.FromSeconds(5);
}
