using Causeloop.Api.Contracts;
using Causeloop.Api.ErrorHandling;
using Causeloop.Api.Hosting;
using Causeloop.Application.Inbound.ReceiveInboundEvent;
using Causeloop.Domain.Signing;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Controllers;

/// <summary>
/// Source systems post here, signed with <c>x-causeloop-signature</c>. No bearer token. The body is read as
/// raw bytes (no model binding) and verified before anything parses it.
/// </summary>
[ApiController]
[AllowAnonymous]
[Route("v1/webhooks/inbound")]
public sealed class InboundController(ISender sender, IOptions<CauseloopOptions> options) : ControllerBase
{
    public const string EventIdHeader = "x-causeloop-event-id";
    public const string RateLimitPolicy = "inbound";

    [HttpPost("{connectorId}")]
    [EnableRateLimiting(RateLimitPolicy)]
    [Consumes("application/json", IsOptional = true)]
    [ProducesResponseType<InboundReceiptResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<InboundReceiptResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task Receive(string connectorId, CancellationToken cancellationToken)
    {
        var limit = options.Value.Inbound.MaxBodyBytes;
        var body = await ReadBodyAsync(limit, cancellationToken);
        if (body is null)
        {
            await InboundProblems.WritePayloadTooLargeAsync(HttpContext, limit);
            return;
        }

        var receipt = await sender.Send(
            new ReceiveInboundEventCommand(
                connectorId,
                body,
                Request.Headers[PayloadSignature.HeaderName].FirstOrDefault(),
                Request.Headers[EventIdHeader].FirstOrDefault(),
                Request.ContentType,
                Request.Headers.UserAgent.FirstOrDefault()),
            cancellationToken);

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
            sizeFeature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream(Request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }
}
