namespace Causeloop.Application.Abstractions;

/// <summary>
/// An inbound request's body, not read yet. The handler reads it only once the connector is known to be live, so an
/// unknown id never holds a body-read slot. Reading refuses with <see cref="Common.InboundBusyException"/> (503) when
/// too many bodies are being received at once, with <see cref="Common.RequestBodyTimeoutException"/> (408) when the
/// body does not arrive in time, and with <see cref="Common.BadRequestException"/> when its framing is broken.
/// </summary>
public interface IInboundBody
{
    /// <summary>The length the sender declared (<c>Content-Length</c>), or null when it declared none (chunked).</summary>
    long? DeclaredLength { get; }

    /// <summary>The raw bytes, or null when there are more than <paramref name="limit"/> (reading stops there).</summary>
    ValueTask<byte[]?> ReadAsync(long limit, CancellationToken cancellationToken);
}
