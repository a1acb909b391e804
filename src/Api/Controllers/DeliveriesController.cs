using Causeloop.Api.Contracts;
using Causeloop.Application.Common;
using Causeloop.Application.Deliveries;
using Causeloop.Application.Deliveries.GetDelivery;
using Causeloop.Application.Deliveries.ListDeliveries;
using Causeloop.Application.Deliveries.Redeliver;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Controllers;

[ApiController]
[Authorize]
[Route("v1/webhooks/{webhookId:guid}/deliveries")]
public sealed class DeliveriesController(ISender sender) : ControllerBase
{
    [EndpointSummary("List a webhook's deliveries")]
    [EndpointDescription("The deliveries of one outbound webhook, newest first; filter with `status` (`pending`, `in_flight`, `succeeded`, `failed`, `dead`, `cancelled`). Scope: `webhooks:read`.")]
    [HttpGet]
    [ProducesResponseType<Page<DeliveryDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Page<DeliveryDto>> List(
        Guid webhookId, [FromQuery] string? status, [FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await sender.Send(new ListDeliveriesQuery(webhookId, status, limit, cursor), cancellationToken);

    [EndpointSummary("Get a delivery with its attempts")]
    [EndpointDescription("One delivery, the exact body sent, and every attempt: time, duration, status code, the first 4 KiB of the response or the error. Scope: `webhooks:read`.")]
    [HttpGet("{deliveryId:guid}")]
    [ProducesResponseType<DeliveryDetailResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<DeliveryDetailResponse> Get(Guid webhookId, Guid deliveryId, CancellationToken cancellationToken) =>
        DeliveryDetailResponse.From(await sender.Send(new GetDeliveryQuery(webhookId, deliveryId), cancellationToken));

    /// <summary>A fresh delivery of the same event.</summary>
    [EndpointSummary("Redeliver")]
    [EndpointDescription("Sends the delivery's event again as a fresh delivery (its own attempts and retries); answers 202 with the new delivery's id. Scope: `webhooks:admin`.")]
    [HttpPost("{deliveryId:guid}/redeliver")]
    [ProducesResponseType<IdResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Redeliver(Guid webhookId, Guid deliveryId, CancellationToken cancellationToken) =>
        Accepted(new IdResponse(await sender.Send(new RedeliverCommand(webhookId, deliveryId), cancellationToken)));
}
