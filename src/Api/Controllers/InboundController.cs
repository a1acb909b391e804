using System.Buffers;
using Causeloop.Api.Contracts;
using Causeloop.Api.ErrorHandling;
using Causeloop.Api.Hosting;
using Causeloop.Application.Inbound.ReceiveInboundEvent;
using Causeloop.Domain.Inbound;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Controllers;

/// <summary>
/// Source systems post here, signed with <c>x-causeloop-signature</c>. No bearer token. The body is read as
/// raw bytes (no model binding) and verified before anything parses it.
/// </summary>
[ApiController]
[AllowAnonymous]
[Route("v1/webhooks/inbound")]
public sealed class InboundController(ISender sender, IOptions<CauseloopOptions> options, InboundBodyReads bodyReads) : ControllerBase
{
    public const string EventIdHeader = "x-causeloop-event-id";
    private const int InitialBufferBytes = 4096;
    private const long KestrelLimitMargin = 16 * 1024;

    [EndpointSummary("Receive an inbound event (no API key)")]
    [EndpointDescription("Source systems post here. No bearer token: sign the raw body with HMAC-SHA256 keyed with the UTF-8 bytes of the whole `whsec_…` secret and send the hex digest in `x-causeloop-signature`. Every request that fails verification (missing, malformed or wrong signature, unknown connector, no enabled inbound webhook) gets the same 401. `x-causeloop-event-id` deduplicates: a repeat answers 200 with the first event's id. Rate limits: 429 with `Retry-After`.")]
    [HttpPost("{connectorId}")]
    [ProducesResponseType<InboundReceiptResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<InboundReceiptResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task Receive()
    {
        // No parameters on purpose: with any, MVC builds its value providers, and the form provider would read a
        // form-encoded body before the signature is checked (leaving nothing for the raw read).
        var connectorId = HttpContext.GetRouteValue("connectorId") as string;
        var cancellationToken = HttpContext.RequestAborted;
        var inbound = options.Value.Inbound;
        if (!bodyReads.TryEnter())
        {
            await InboundProblems.WriteBusyAsync(HttpContext);
            return;
        }

        byte[]? body;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(inbound.BodyReadTimeout);
            try
            {
                body = await ReadBodyAsync(inbound.MaxBodyBytes, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                await InboundProblems.WriteBodyTimeoutAsync(HttpContext, inbound.BodyReadTimeout);
                return;
            }
            finally
            {
                bodyReads.Exit();
            }
        }

        // A body over the limit still goes to the handler (as null): the connector's rejection log records it.
        var receipt = await sender.Send(
            new ReceiveInboundEventCommand(
                connectorId ?? string.Empty,
                body,
                new InboundHeaders(name => Request.Headers.TryGetValue(name, out var values) ? values.Select(v => v ?? string.Empty).ToArray() : []),
                Request.ContentType,
                Request.Headers.UserAgent.FirstOrDefault(),
                HttpContext.Connection.RemoteIpAddress?.ToString(),
                Request.ContentLength),
            cancellationToken);

        if (receipt.Challenge is { } challenge)
        {
            // Slack's url_verification handshake: echo the challenge, store nothing.
            Response.StatusCode = StatusCodes.Status200OK;
            await Response.WriteAsJsonAsync(new SlackChallengeResponse(challenge), cancellationToken);
            return;
        }

        Response.StatusCode = receipt.Duplicate ? StatusCodes.Status200OK : StatusCodes.Status202Accepted;
        await Response.WriteAsJsonAsync(new InboundReceiptResponse(receipt.Id, receipt.Duplicate), cancellationToken);
    }

    /// <summary>The raw bytes, or null when there are more than <paramref name="limit"/> (reading stops there).</summary>
    private async Task<byte[]?> ReadBodyAsync(long limit, CancellationToken cancellationToken)
    {
        if (Request.ContentLength > limit)
        {
            return null;
        }

        var sizeFeature = HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            // A backstop above the limit: Kestrel counts a chunked body's framing too, and the loop below enforces
            // the limit exactly, whichever way the body arrives.
            sizeFeature.MaxRequestBodySize = limit + KestrelLimitMargin;
        }

        // The buffer grows with what arrives (pooled), never with what the client declares: before the signature
        // is checked, a Content-Length costs the caller nothing and must cost the service nothing either.
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var length = 0;
        try
        {
            int read;
            while ((read = await Request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
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
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
