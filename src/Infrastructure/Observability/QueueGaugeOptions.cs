namespace Causeloop.Infrastructure.Observability;

/// <summary><c>Causeloop:Metrics:SampleInterval</c>: how often the queue gauges are sampled from the database (never per scrape).</summary>
public sealed class QueueGaugeOptions
{
    public const string Section = "Causeloop:Metrics";

    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<string> Problems()
    {
        if (SampleInterval <= TimeSpan.Zero)
        {
            yield return "Causeloop:Metrics:SampleInterval must be positive";
        }
    }
}
