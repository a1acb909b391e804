using Causeloop.Api.Contracts;
using Causeloop.Application.Common;
using Causeloop.Application.Connectors;
using Causeloop.Application.Connectors.CreateConnector;
using Causeloop.Application.Connectors.DeleteConnector;
using Causeloop.Application.Connectors.GetConnectorEvent;
using Causeloop.Application.Connectors.GetConnector;
using Causeloop.Application.Connectors.ListConnectorEvents;
using Causeloop.Application.Connectors.ListConnectorRejections;
using Causeloop.Application.Connectors.ListConnectors;
using Causeloop.Application.Inbound;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Controllers;

[ApiController]
[Authorize]
[Route("v1/connectors")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class ConnectorsController(ISender sender) : ControllerBase
{
    [EndpointSummary("Create a connector")]
    [EndpointDescription("A connector is a source system that pushes events in. `kind` decides how its inbound requests are verified and deduplicated: `custom` (the Causeloop signature), `standard_webhooks`, `github`, `stripe`, `shopify`, `slack`, `gitlab`, `pagerduty`, `linear` or `jira` (each scheme is described on the `kind` field). Scope: `connectors:admin`.")]
    [HttpPost]
    [ProducesResponseType<ConnectorDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Create(CreateConnectorRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await sender.Send(new CreateConnectorCommand(request.Name, request.Kind), cancellationToken);
        return Created($"/v1/connectors/{created.Id}", created);
    }

    [EndpointSummary("List connectors")]
    [EndpointDescription("The workspace's connectors, newest first, a page at a time (`limit`, `cursor`). Scope: `connectors:read`.")]
    [HttpGet]
    [ProducesResponseType<Page<ConnectorDto>>(StatusCodes.Status200OK)]
    public async Task<Page<ConnectorDto>> List([FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await sender.Send(new ListConnectorsQuery(limit, cursor), cancellationToken);

    [EndpointSummary("Get a connector")]
    [EndpointDescription("One connector of the workspace; 404 for an id of another workspace. Scope: `connectors:read`.")]
    [HttpGet("{id:guid}")]
    [ProducesResponseType<ConnectorDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ConnectorDto> Get(Guid id, CancellationToken cancellationToken) =>
        await sender.Send(new GetConnectorQuery(id), cancellationToken);

    /// <summary>Deletes the connector and its inbound webhook; what was ingested from it is kept.</summary>
    [EndpointSummary("Delete a connector")]
    [EndpointDescription("Deletes the connector; its inbound URL answers 401 from then on. Scope: `connectors:admin`.")]
    [HttpDelete("{id:guid}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new DeleteConnectorCommand(id), cancellationToken);
        return NoContent();
    }

    /// <summary>What was ingested from the connector, newest first.</summary>
    [EndpointSummary("List a connector's inbound events")]
    [EndpointDescription("What was ingested from the connector, newest first, a page at a time, each with its raw body. Scope: `connectors:read`.")]
    [HttpGet("{id:guid}/events")]
    [ProducesResponseType<Page<InboundEventDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Page<InboundEventDto>> Events(Guid id, [FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await sender.Send(new ListConnectorEventsQuery(id, limit, cursor), cancellationToken);

    /// <summary>One inbound event of the connector, with the event it caused.</summary>
    [EndpointSummary("Get a connector's inbound event")]
    [EndpointDescription("One event ingested from the connector: its body (`payload`), its source fields (`source.kind`, `source.event_type`, `source.delivery_id`; `event_id` stays the sender's dedupe id, as in the list) and `caused_event_id`, the `issue.ingested` event it caused (`GET /v1/events/{id}` follows it to its deliveries; null once that event is no longer kept). Scope: `connectors:read`.")]
    [HttpGet("{id:guid}/events/{inboundEventId:guid}")]
    [ProducesResponseType<InboundEventDetailResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<InboundEventDetailResponse> Event(Guid id, Guid inboundEventId, CancellationToken cancellationToken) =>
        InboundEventDetailResponse.From(await sender.Send(new GetConnectorEventQuery(id, inboundEventId), cancellationToken));

    /// <summary>The connector's latest rejected inbound requests, newest first.</summary>
    [EndpointSummary("List a connector's rejected inbound requests")]
    [EndpointDescription("The latest inbound requests refused for this connector, newest first, at most 100 kept: when, why (`missing_signature`, `malformed_signature`, `signature_mismatch`, `stale_timestamp`, `no_secret`, `body_too_large`, `invalid_json`), from which address and user agent, the body's length and SHA-256. Never the body, the signature or a secret. The sender itself only ever gets the same 401. Scope: `connectors:read`.")]
    [HttpGet("{id:guid}/rejections")]
    [ProducesResponseType<Page<InboundRejectionDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Page<InboundRejectionDto>> Rejections(Guid id, CancellationToken cancellationToken) =>
        await sender.Send(new ListConnectorRejectionsQuery(id), cancellationToken);
}
