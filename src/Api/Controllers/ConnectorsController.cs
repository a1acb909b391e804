using Causeloop.Api.Contracts;
using Causeloop.Application.Common;
using Causeloop.Application.Connectors;
using Causeloop.Application.Connectors.CreateConnector;
using Causeloop.Application.Connectors.DeleteConnector;
using Causeloop.Application.Connectors.GetConnector;
using Causeloop.Application.Connectors.ListConnectorEvents;
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
    [HttpPost]
    [ProducesResponseType<ConnectorDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Create(CreateConnectorRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await sender.Send(new CreateConnectorCommand(request.Name, request.Kind), cancellationToken);
        return Created($"/v1/connectors/{created.Id}", created);
    }

    [HttpGet]
    [ProducesResponseType<Page<ConnectorDto>>(StatusCodes.Status200OK)]
    public async Task<Page<ConnectorDto>> List([FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await sender.Send(new ListConnectorsQuery(limit, cursor), cancellationToken);

    [HttpGet("{id:guid}")]
    [ProducesResponseType<ConnectorDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ConnectorDto> Get(Guid id, CancellationToken cancellationToken) =>
        await sender.Send(new GetConnectorQuery(id), cancellationToken);

    /// <summary>Deletes the connector and its inbound webhook; what was ingested from it is kept.</summary>
    [HttpDelete("{id:guid}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new DeleteConnectorCommand(id), cancellationToken);
        return NoContent();
    }

    /// <summary>What was ingested from the connector, newest first.</summary>
    [HttpGet("{id:guid}/events")]
    [ProducesResponseType<Page<InboundEventDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Page<InboundEventDto>> Events(Guid id, [FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await sender.Send(new ListConnectorEventsQuery(id, limit, cursor), cancellationToken);
}
