using System.Buffers;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Inbound;
using Microsoft.AspNetCore.Http.Features;

namespace Causeloop.Api.Hosting;

/// <summary>
/// The inbound request's body, read only when the handler asks for it: within a body-read slot of the service and of
/// its source (<see cref="InboundBodyReads"/>, 503 when none is free), within <c>BodyReadTimeout</c> (408), and never past the
/// limit. The buffer grows with what arrives (pooled), never with what the client declares: before the signature is
/// checked, a <c>Content-Length</c> costs the caller nothing and must cost the service nothing either.
/// </summary>
public sealed class HttpInboundBody(HttpContext context, InboundBodyReads reads, CauseloopOptions.InboundOptions options) : IInboundBody
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

        var source = SourceNetwork.Of(context.Connection.RemoteIpAddress);
        if (!reads.TryEnter(source, out var refusal))
        {
            throw new InboundBusyException(refusal + " Nothing was stored; retry after the time in Retry-After.");
        }

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.BodyReadTimeout);
            try
            {
                return await ReadWithinAsync(limit, deadline.Token);
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

    private RequestBodyTimeoutException TimedOut() =>
        new($"The body did not arrive within {options.BodyReadTimeout.TotalSeconds:0.#} s. Nothing was stored.");

    private async Task<byte[]?> ReadWithinAsync(long limit, CancellationToken cancellationToken)
    {
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            // A backstop above the limit: Kestrel counts a chunked body's framing too, and the loop below enforces
            // the limit exactly, whichever way the body arrives.
            sizeFeature.MaxRequestBodySize = limit + KestrelLimitMargin;
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
