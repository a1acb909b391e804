using Causeloop.Application.EventTypes.ListEventTypes;
using Causeloop.Domain.Webhooks;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Controllers;

[ApiController]
[Authorize]
[Route("v1/event-types")]
public sealed class EventTypesController(ISender sender) : ControllerBase
{
    /// <summary>The event-type catalog, in the list shape of every other list (one page: next_cursor is null).</summary>
    [EndpointSummary("List the event types")]
    [EndpointDescription("The catalog of event types a webhook can subscribe to, each with a description and an example `data`. Any valid API key, whatever its scopes.")]
    [HttpGet]
    [ProducesResponseType<EventTypesResponse>(StatusCodes.Status200OK)]
    public async Task<EventTypesResponse> List(CancellationToken cancellationToken) =>
        new(await sender.Send(new ListEventTypesQuery(), cancellationToken), null);

    public sealed record EventTypesResponse(IReadOnlyList<EventType> Data, string? NextCursor);
}
