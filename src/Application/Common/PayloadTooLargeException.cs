namespace Causeloop.Application.Common;

/// <summary>The body is over the limit; answered 413. Nothing was stored.</summary>
public sealed class PayloadTooLargeException(long limit) : Exception($"The body must be at most {limit} bytes."), IRejection
{
    public long Limit { get; } = limit;
}
