using Causeloop.Api.Contracts;
using Causeloop.Api.Hosting;
using Causeloop.Application.Inbound.ReceiveInboundEvent;
using Causeloop.Domain.Inbound;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Controllers;

/// <summary>
/// Source systems post here, signed with <c>x-causeloop-signature</c>. No bearer token. The body is read as
/// raw bytes (no model binding), only for a live connector, and verified before anything parses it.
/// </summary>
[ApiController]
[AllowAnonymous]
[Route("v1/webhooks/inbound")]
public sealed class InboundController(ISender sender, IOptions<CauseloopOptions> options, InboundBodyReads bodyReads, TimeProvider time) : ControllerBase
{
    public const string EventIdHeader = "x-causeloop-event-id";

    [EndpointSummary("Receive an inbound event (no API key)")]
    [EndpointDescription("Source systems post here. No bearer token: sign the raw body with HMAC-SHA256 keyed with the UTF-8 bytes of the whole `whsec_…` secret and send the hex digest in `x-causeloop-signature`. Every request that fails verification (missing, malformed or wrong signature, unknown connector, no enabled inbound webhook) gets the same 401; a body over the limit gets 413 whatever the connector. `x-causeloop-event-id` deduplicates: a repeat answers 200 with the first event's id. Rate limits: 429 with `Retry-After`. Too many bodies arriving at once: 503 with `Retry-After`; a body that does not arrive in time: 408.")]
    [HttpPost("{connectorId}")]
    [ProducesResponseType<InboundReceiptResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<InboundReceiptResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status408RequestTimeout, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task Receive()
    {
        // No parameters on purpose: with any, MVC builds its value providers, and the form provider would read a
        // form-encoded body before the signature is checked (leaving nothing for the raw read). The handler reads the
        // body itself, once it knows the connector is live.
        var connectorId = HttpContext.GetRouteValue("connectorId") as string;
        var cancellationToken = HttpContext.RequestAborted;
        var receipt = await sender.Send(
            new ReceiveInboundEventCommand(
                connectorId ?? string.Empty,
                new HttpInboundBody(HttpContext, bodyReads, options.Value.Inbound, time),
                new InboundHeaders(name => Request.Headers.TryGetValue(name, out var values) ? values.Select(v => v ?? string.Empty).ToArray() : []),
                Request.ContentType,
                Request.Headers.UserAgent.FirstOrDefault(),
                HttpContext.Connection.RemoteIpAddress?.ToString()),
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
}
