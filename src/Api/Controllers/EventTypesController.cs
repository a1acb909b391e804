using Causeloop.Application.EventTypes.ListEventTypes;
using Causeloop.Domain.Webhooks;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Controllers;

[ApiController]
[Authorize]
[Route("v1/event-types")]
[Tags("Event types")]
public sealed class EventTypesController(ISender sender) : ControllerBase
{
    /// <summary>The event-type catalog, in the list shape of every other list (one page: next_cursor is null).</summary>
    [EndpointSummary("List the event types")]
    [EndpointDescription("The catalog of event types a webhook can subscribe to, each with a description, an example `data` and the JSON Schema (draft 2020-12) of its `data`, which the example satisfies. Any valid API key, whatever its scopes.")]
    [HttpGet]
    [ProducesResponseType<EventTypesResponse>(StatusCodes.Status200OK)]
    public async Task<EventTypesResponse> List(CancellationToken cancellationToken) =>
        new([.. (await sender.Send(new ListEventTypesQuery(), cancellationToken)).Select(EventTypeResponse.From)], null);

    public sealed record EventTypesResponse(IReadOnlyList<EventTypeResponse> Data, string? NextCursor);

    /// <summary>
    /// One catalog entry: its name, what it means, whether it is operational (only for webhooks naming it), an example
    /// <c>data</c> and the JSON Schema of its <c>data</c>.
    /// </summary>
    public sealed record EventTypeResponse(string Name, string Description, bool Operational, System.Text.Json.JsonElement Example, System.Text.Json.JsonElement Schema)
    {
        public static EventTypeResponse From(EventType type)
        {
            ArgumentNullException.ThrowIfNull(type);
            using var example = System.Text.Json.JsonDocument.Parse(type.Example);
            using var schema = System.Text.Json.JsonDocument.Parse(type.Schema);
            return new(type.Name, type.Description, type.Operational, example.RootElement.Clone(), schema.RootElement.Clone());
        }
    }
}
