using Causeloop.Domain.Deliveries;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary><c>Causeloop:Delivery:*</c>.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Causeloop:Delivery";

    /// <summary>False: this instance serves the API only and delivers nothing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>An attempt that has no answer by then fails (SPEC §6: 15 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts under way at once in this instance.</summary>
    public int MaxConcurrency { get; set; } = 256;

    /// <summary>
    /// Attempts under way at once to one webhook (across instances) to start with, so one slow endpoint cannot take
    /// every slot; it doubles per window of quick 2xx answers until the first timeout, 429 or 5xx halves it, then grows
    /// by one per window, up to <see cref="MaxPerEndpointConcurrency"/> (<see cref="AdaptiveConcurrency"/>).
    /// </summary>
    public int PerEndpointConcurrency { get; set; } = 4;

    /// <summary>The most attempts under way at once to one webhook, however well it answers.</summary>
    public int MaxPerEndpointConcurrency { get; set; } = 64;

    /// <summary>A 2xx within this counts as quick (grows the endpoint's limit).</summary>
    public TimeSpan QuickAnswer { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an endpoint's learned limit is kept after its last answer (the next burst starts from it).</summary>
    public TimeSpan LearnedLimitKept { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Finished attempts recorded per transaction at most.</summary>
    public int RecordBatchSize { get; set; } = 256;

    /// <summary>Finished attempts waiting to be recorded at most; senders wait when it is full.</summary>
    public int RecordQueueCapacity { get; set; } = 4096;

    /// <summary>Outbox events fanned out per transaction.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How often to look for work when no NOTIFY arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How much longer than the attempt timeout shutdown waits for attempts under way and their recording.</summary>
    public TimeSpan DrainMargin { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The lease outlives the attempt timeout by this much (time to record the attempt); at least 1 s.</summary>
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Delays after each failed attempt; null for the default 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.</summary>
    public TimeSpan[]? RetryDelays { get; set; }

    public double RetryJitter { get; set; } = 0.2;

    /// <summary>A webhook whose deliveries have all failed this long is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = Domain.Deliveries.Delivery.DefaultDisableAfter;

    /// <summary>The consecutive failed attempt of a webhook that sends <c>endpoint.failing</c> (once per streak).</summary>
    public int FailingAlertAfter { get; set; } = DeliveryRules.DefaultFailingAlertAfter;

    /// <summary>At most one <c>message.attempt.exhausted</c> per webhook within this window.</summary>
    public TimeSpan ExhaustedAlertDebounce { get; set; } = DeliveryRules.DefaultExhaustedAlertDebounce;

    /// <summary>
    /// Deliveries claimed but not recorded within this are taken over by another instance. It always outlasts the
    /// attempt (whose one deadline covers the whole exchange) by <see cref="LeaseMargin"/>, so a delivery is never
    /// sent again while its attempt is still running.
    /// </summary>
    public TimeSpan Lease => AttemptTimeout + LeaseMargin;

    public RetrySchedule Schedule() => new(RetryDelays ?? RetrySchedule.DefaultDelays, RetryJitter);

    /// <summary>The delivery rules these settings stand for.</summary>
    public DeliveryRules Rules() => new(Schedule(), DisableAfter, FailingAlertAfter, ExhaustedAlertDebounce);

    /// <summary>Settings that cannot work; the service refuses to start with them.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxConcurrency < 1 || PerEndpointConcurrency < 1 || BatchSize < 1 || RecordBatchSize < 1 || RecordQueueCapacity < 1)
        {
            yield return "Causeloop:Delivery:MaxConcurrency, PerEndpointConcurrency, BatchSize, RecordBatchSize and RecordQueueCapacity must be at least 1";
        }

        if (AttemptTimeout <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero)
        {
            yield return "Causeloop:Delivery:AttemptTimeout and PollInterval must be positive";
        }

        if (LeaseMargin < TimeSpan.FromSeconds(1))
        {
            yield return "Causeloop:Delivery:LeaseMargin must be at least 1 s (the lease must outlast the attempt and its recording, or a delivery could be sent twice at once)";
        }

        if (MaxPerEndpointConcurrency < PerEndpointConcurrency)
        {
            yield return "Causeloop:Delivery:MaxPerEndpointConcurrency must be at least PerEndpointConcurrency";
        }

        if (RetryDelays?.Any(d => d < TimeSpan.Zero) == true || RetryJitter is < 0 or >= 1)
        {
            yield return "Causeloop:Delivery:RetryDelays must not be negative and RetryJitter must be in [0, 1)";
        }

        if (FailingAlertAfter < 1 || ExhaustedAlertDebounce < TimeSpan.Zero || DisableAfter <= TimeSpan.Zero)
        {
            yield return "Causeloop:Delivery:FailingAlertAfter must be at least 1, ExhaustedAlertDebounce must not be negative and DisableAfter must be positive";
        }
    }
}
