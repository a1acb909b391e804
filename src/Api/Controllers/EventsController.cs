using Causeloop.Api.Contracts;
using Causeloop.Application.Events.GetEvent;
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

    /// <summary>One event with its lineage: where it came from and where it went.</summary>
    [EndpointSummary("Get an event with its cause and deliveries")]
    [EndpointDescription("The event's envelope (`id`, `type`, `created_at`, `data`: what every delivery sends), its `cause` — `inbound` (with `connector_id` and `inbound_event_id`), `api` (with `api_key_prefix`), `test`, or `operational` (with `webhook_id`, the webhook it is about), recorded when the event was written; null for an event written before causes were recorded — and its deliveries, oldest first: `webhook_id`, `delivery_id`, `status`, `attempts`, `last_status_code`. 404 for an event of another workspace, or one deleted by retention. Scope: `webhooks:read`.")]
    [HttpGet("{id:guid}")]
    [ProducesResponseType<EventDetailResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<EventDetailResponse> Get(Guid id, CancellationToken cancellationToken) =>
        EventDetailResponse.From(await sender.Send(new GetEventQuery(id), cancellationToken));
}
