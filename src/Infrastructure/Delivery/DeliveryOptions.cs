using Causeloop.Domain.Deliveries;

namespace Causeloop.Infrastructure.Delivery;

/// <summary><c>Causeloop:Delivery:*</c>.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Causeloop:Delivery";

    /// <summary>False: this instance serves the API only and delivers nothing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>An attempt that has no answer by then fails (SPEC §6: 15 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts under way at once in this instance.</summary>
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>Attempts under way at once to one webhook (across instances), so one slow endpoint cannot take every slot.</summary>
    public int PerEndpointConcurrency { get; set; } = 4;

    /// <summary>Outbox rows fanned out, or deliveries claimed, per query.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How often to look for work when no NOTIFY arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The lease outlives the attempt timeout by this much.</summary>
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Delays after each failed attempt; null for the default 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.</summary>
    public TimeSpan[]? RetryDelays { get; set; }

    public double RetryJitter { get; set; } = 0.2;

    /// <summary>A webhook whose deliveries have all failed this long is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = Domain.Deliveries.Delivery.DefaultDisableAfter;

    /// <summary>Deliveries claimed but not finished within this are taken over by another instance.</summary>
    public TimeSpan Lease => AttemptTimeout + LeaseMargin > TimeSpan.FromSeconds(60) ? TimeSpan.FromSeconds(60) : AttemptTimeout + LeaseMargin;

    public RetrySchedule Schedule() => new(RetryDelays ?? RetrySchedule.DefaultDelays, RetryJitter);
}
