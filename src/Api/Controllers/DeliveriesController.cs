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
    [HttpGet]
    [ProducesResponseType<Page<DeliveryDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Page<DeliveryDto>> List(
        Guid webhookId, [FromQuery] string? status, [FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await sender.Send(new ListDeliveriesQuery(webhookId, status, limit, cursor), cancellationToken);

    [HttpGet("{deliveryId:guid}")]
    [ProducesResponseType<DeliveryDetailResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<DeliveryDetailResponse> Get(Guid webhookId, Guid deliveryId, CancellationToken cancellationToken) =>
        DeliveryDetailResponse.From(await sender.Send(new GetDeliveryQuery(webhookId, deliveryId), cancellationToken));

    /// <summary>A fresh delivery of the same event.</summary>
    [HttpPost("{deliveryId:guid}/redeliver")]
    [ProducesResponseType<IdResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Redeliver(Guid webhookId, Guid deliveryId, CancellationToken cancellationToken) =>
        Accepted(new IdResponse(await sender.Send(new RedeliverCommand(webhookId, deliveryId), cancellationToken)));
}
