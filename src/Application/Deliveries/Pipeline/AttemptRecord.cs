using Causeloop.Domain.Deliveries;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>One HTTP attempt as it happened: when, how long, and what came back (status and first 4 KiB) or the error.</summary>
public sealed record AttemptRecord(DateTime StartedAt, int DurationMs, AttemptResult Result, string? ResponseBody)
{
    /// <summary>How much of a response body is kept (SPEC §6: the first 4 KiB).</summary>
    public const int ResponseBodyLimit = 4096;
}
