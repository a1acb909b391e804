using System.Buffers;
using System.Globalization;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Inbound;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Causeloop.Api.Hosting;

/// <summary>
/// The inbound request's body, read only when the handler asks for it: within a body-read slot of the service and of
/// its source (<see cref="InboundBodyReads"/>, 503 when none is free), never past the limit, and in time (408
/// otherwise): after <c>MinBodyDataRateGracePeriod</c> it must keep arriving at <c>MinBodyDataRate</c> bytes per
/// second or faster, and all of it within <c>BodyReadTimeout</c>, both on the service's <see cref="TimeProvider"/>. So a
/// trickle holds its slot for the grace period and a little more, not for the whole timeout. The buffer grows with
/// what arrives (pooled), never with what the client declares: before the signature is checked, a
/// <c>Content-Length</c> costs the caller nothing and must cost the service nothing either.
/// </summary>
public sealed class HttpInboundBody(HttpContext context, InboundBodyReads reads, CauseloopOptions.InboundOptions options, TimeProvider time) : IInboundBody
{
    private const int InitialBufferBytes = 4096;
    private const long KestrelLimitMargin = 16 * 1024;

    public long? DeclaredLength => context.Request.ContentLength;

    public async ValueTask<byte[]?> ReadAsync(long limit, CancellationToken cancellationToken)
    {
        if (DeclaredLength > limit)
        {
            return null;
        }

        // The clock starts before the slot is taken, so the deadlines never start later than the slot is held.
        var started = time.GetTimestamp();
        var source = SourceNetwork.Of(context.Connection.RemoteIpAddress);
        if (!reads.TryEnter(source, out var refusal))
        {
            throw new InboundBusyException(refusal + " Nothing was stored; retry after the time in Retry-After.");
        }

        try
        {
            using var deadline = new CancellationTokenSource(Remaining(started, 0), time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                return await ReadWithinAsync(limit, started, deadline, either.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw TimedOut();
            }
        }
        finally
        {
            reads.Exit(source);
        }
    }

    /// <summary>
    /// How long the next byte (after <paramref name="received"/>) may take: byte n is due <c>grace + n / rate</c> after
    /// the start, and every byte within <c>BodyReadTimeout</c>.
    /// </summary>
    private TimeSpan Remaining(long started, long received)
    {
        var due = options.BodyReadTimeout;
        if (options.MinBodyDataRate > 0)
        {
            var byRate = options.MinBodyDataRateGracePeriod + TimeSpan.FromSeconds((received + 1) / (double)options.MinBodyDataRate);
            due = byRate < due ? byRate : due;
        }

        var left = due - time.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private RequestBodyTimeoutException TimedOut() => new(options.MinBodyDataRate > 0
        ? string.Create(CultureInfo.InvariantCulture, $"The body did not arrive in time: after the first {options.MinBodyDataRateGracePeriod.TotalSeconds:0.#} s it must come at {options.MinBodyDataRate} bytes/s or faster, and all of it within {options.BodyReadTimeout.TotalSeconds:0.#} s. Nothing was stored.")
        : string.Create(CultureInfo.InvariantCulture, $"The body did not arrive within {options.BodyReadTimeout.TotalSeconds:0.#} s. Nothing was stored."));

    private async Task<byte[]?> ReadWithinAsync(long limit, long started, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            // A backstop above the limit: Kestrel counts a chunked body's framing too, and the loop below enforces
            // the limit exactly, whichever way the body arrives.
            sizeFeature.MaxRequestBodySize = limit + KestrelLimitMargin;
        }

        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rateFeature)
        {
            // The deadlines above replace Kestrel's own minimum rate for this body: one rule, on the service's clock.
            rateFeature.MinDataRate = null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var length = 0;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length > limit)
                {
                    return null;
                }

                deadline.CancelAfter(Remaining(started, length));
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            throw TimedOut();
        }
        catch (BadHttpRequestException e)
        {
            // Broken framing (a bad chunk, a body cut short): the caller's fault, answered 400.
            throw new BadRequestException("body", e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
