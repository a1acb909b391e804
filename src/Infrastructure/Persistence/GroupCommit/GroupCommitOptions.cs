namespace Causeloop.Infrastructure.Persistence.GroupCommit;

/// <summary><c>Causeloop:GroupCommit:*</c>.</summary>
public sealed class GroupCommitOptions
{
    public const string Section = "Causeloop:GroupCommit";

    /// <summary>Batches written at once (each on its own connection), so one gathers while another commits.</summary>
    public int Writers { get; set; } = 2;

    /// <summary>Writes stored per transaction at most.</summary>
    public int MaxBatch { get; set; } = 512;

    /// <summary>Writes waiting for a batch at most; past it a request is answered 503 with <c>Retry-After</c> at once.</summary>
    public int MaxQueue { get; set; } = 20_000;

    public IEnumerable<string> Problems()
    {
        if (Writers < 1 || MaxBatch < 1 || MaxQueue < 1)
        {
            yield return "Causeloop:GroupCommit:Writers, MaxBatch and MaxQueue must be at least 1";
        }
    }
}
