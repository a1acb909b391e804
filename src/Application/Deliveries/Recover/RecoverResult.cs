namespace Causeloop.Application.Deliveries.Recover;

/// <summary>
/// How many fresh deliveries a recover created — or, for a dry run, would create, with the first <see cref="SampleSize"/>
/// of their events (oldest first) in <see cref="Sample"/> (null for a real run).
/// </summary>
public sealed record RecoverResult(int Count, IReadOnlyList<RecoverableEvent>? Sample)
{
    public const int SampleSize = 100;
}
