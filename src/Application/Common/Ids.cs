namespace Causeloop.Application.Common;

/// <summary>New ids are UUIDv7, so ordering by id is ordering by creation time.</summary>
public static class Ids
{
    public static Guid New(TimeProvider time) => Guid.CreateVersion7(time?.GetUtcNow() ?? DateTimeOffset.UtcNow);
}
