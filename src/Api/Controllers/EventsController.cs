using Causeloop.Api.Contracts;
using Causeloop.Application.Events.PublishEvent;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Controllers;

[ApiController]
[Authorize]
[Route("v1/events")]
public sealed class EventsController(ISender sender) : ControllerBase
{
    /// <summary>Publishes an event for delivery: 202 with its id; a repeated idempotency_key answers 200 with the first event's id.</summary>
    [HttpPost]
    [ProducesResponseType<IdResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<IdResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Publish(PublishEventRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var published = await sender.Send(new PublishEventCommand(request.Type, request.Data, request.IdempotencyKey), cancellationToken);
        return published.Duplicate ? Ok(new IdResponse(published.Id)) : Accepted(new IdResponse(published.Id));
    }
}
