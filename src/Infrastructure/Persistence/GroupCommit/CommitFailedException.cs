namespace Causeloop.Infrastructure.Persistence.GroupCommit;

/// <summary>A group commit's COMMIT failed: nothing of the batch was stored, or it cannot be known.</summary>
public sealed class CommitFailedException(Exception inner) : Exception("The commit failed.", inner);
