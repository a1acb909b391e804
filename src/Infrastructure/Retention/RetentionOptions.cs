namespace Causeloop.Infrastructure.Retention;

/// <summary><c>Causeloop:Retention</c>: how long finished rows are kept, and how often the job looks.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Causeloop:Retention";

    /// <summary>Finished rows older than this are deleted; zero keeps everything.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The job runs this long after start, then every interval.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows per statement: each statement is short and locks only the rows it deletes.</summary>
    public int BatchSize { get; set; } = 1000;

    public IEnumerable<string> Problems()
    {
        if (Period < TimeSpan.Zero || Interval <= TimeSpan.Zero || BatchSize < 1)
        {
            yield return "Causeloop:Retention:Period must not be negative (0 keeps everything), Interval must be positive and BatchSize at least 1";
        }
    }
}
