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
    [EndpointSummary("Publish an event")]
    [EndpointDescription("Writes the event to the outbox; it is fanned out to every enabled outbound webhook subscribed to its type and delivered. A repeated `idempotency_key` answers 200 with the first event's id and emits nothing. Events with the same `ordering_key` (1–200 printable characters) reach each webhook one at a time, in the order they were accepted: the next starts only when the one before has succeeded, ended dead or was cancelled; a delivery waiting for its retry holds back its own key on that webhook and nothing else. Scope: `events:write`.")]
    [HttpPost]
    [ProducesResponseType<IdResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<IdResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Publish(PublishEventRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var published = await sender.Send(new PublishEventCommand(request.Type, request.Data, request.IdempotencyKey, request.OrderingKey), cancellationToken);
        return published.Duplicate ? Ok(new IdResponse(published.Id)) : Accepted(new IdResponse(published.Id));
    }
}
