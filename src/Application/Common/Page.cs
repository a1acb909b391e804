namespace Causeloop.Application.Common;

/// <summary>One page of a list, newest first, with the cursor of the next page (null on the last).</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, string? NextCursor);
