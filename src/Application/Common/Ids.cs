using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Causeloop.Application.Common;

/// <summary>
/// New ids are UUIDv7 and strictly increasing within a process, so ordering by id is ordering by creation, even for two
/// ids made in the same millisecond (<see cref="Guid.CreateVersion7(DateTimeOffset)"/> fills the sub-millisecond bits at
/// random, so two of its ids from one millisecond sort either way). RFC 9562 §6.2 method 1: the 12 bits after the
/// version are a counter that starts at a random value below 2,048 each millisecond and counts up; when it runs out, or
/// the clock steps back, the id borrows the next millisecond, so order never depends on the clock going forwards.
/// </summary>
public static class Ids
{
    private const int CounterBits = 12;
    private static readonly Lock Gate = new();
    private static long lastMs = -1;
    private static int counter;

    public static Guid New(TimeProvider time)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
        long ms;
        int count;
        lock (Gate)
        {
            if (now > lastMs)
            {
                lastMs = now;
                counter = RandomNumberGenerator.GetInt32(1 << (CounterBits - 1));
            }
            else if (++counter >= 1 << CounterBits)
            {
                lastMs++;
                counter = RandomNumberGenerator.GetInt32(1 << (CounterBits - 1));
            }

            ms = lastMs;
            count = counter;
        }

        return Compose(ms, count);
    }

    private static Guid Compose(long unixMs, int count)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, unixMs << 16);
        bytes[6] = (byte)(0x70 | (count >> 8));
        bytes[7] = (byte)count;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
