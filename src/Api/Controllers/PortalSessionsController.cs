using Causeloop.Api.Contracts;
using Causeloop.Application.Portal;
using Causeloop.Application.Portal.CreatePortalSession;
using Causeloop.Application.Portal.RevokePortalSession;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Controllers;

/// <summary>Links that open the delivery portal for a customer, without an API key.</summary>
[ApiController]
[Authorize]
[Route("v1/portal/sessions")]
[Tags("Portal sessions")]
public sealed class PortalSessionsController(ISender sender) : ControllerBase
{
    [EndpointSummary("Open a portal session")]
    [EndpointDescription("A link to the delivery portal for the whole workspace (neither list given), or only the listed webhooks and connectors: when one list is given, the other one left out means none. `capabilities`: `read` (always), `manage` (redeliver, recover, test, enable/disable, add, edit and delete endpoints, send example events; an endpoint a session limited to some webhooks adds joins its scope), `secrets` (reveal and rotate). `expires_in`: 300 to 604800 seconds, default 86400. A session never grants more than the key that opens it: listing `connector_ids` needs `connectors:read`, and a session opened by a key without it shows no connector. The answer's `url` is `<base>/portal#token=<token>`: the token is in the fragment, so it never reaches a request line or a log; it works once. Scope: `webhooks:admin`.")]
    [HttpPost]
    [ProducesResponseType<PortalSessionCreated>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Create(CreatePortalSessionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await sender.Send(new CreatePortalSessionCommand(request.WebhookIds, request.ConnectorIds, request.Capabilities, request.ExpiresIn), cancellationToken);
        return Created($"/v1/portal/sessions/{created.Id}", created);
    }

    [EndpointSummary("Revoke a portal session")]
    [EndpointDescription("Ends the session at once: its link and its cookie stop working on the next request. Scope: `webhooks:admin`.")]
    [HttpDelete("{id:guid}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new RevokePortalSessionCommand(id), cancellationToken);
        return NoContent();
    }
}
