using Causeloop.Application.Common;
using Causeloop.Application.Webhooks;
using Causeloop.Application.Webhooks.GetWebhook;
using Causeloop.Domain.Portal;
using Causeloop.Domain.Webhooks;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Causeloop.Api.Pages.Portal;

/// <summary>
/// Every portal page: authenticated by the portal cookie, scoped to the session's webhooks and connectors (anything
/// else is 404), and acting only through the mediator commands the REST API uses, after checking the session's
/// capability (403 otherwise). Anti-forgery tokens protect every form (Razor Pages validates them on POST).
/// </summary>
[Authorize(AuthenticationSchemes = Causeloop.Api.Portal.PortalAuthenticationHandler.SchemeName)]
public abstract class PortalPageModel(ISender sender) : PageModel
{
    protected ISender Sender { get; } = sender;

    public bool Can(string capability) => User.HasClaim(Causeloop.Api.Portal.PortalAuthenticationHandler.CapabilityClaim, capability);

    public bool CanDo(PortalAction action) => PortalCapability.Needs(action).All(Can);

    public bool CoversWebhook(Guid id) => Covers(Causeloop.Api.Portal.PortalAuthenticationHandler.WebhookClaim, id);

    public bool CoversConnector(Guid id) => Covers(Causeloop.Api.Portal.PortalAuthenticationHandler.ConnectorClaim, id);

    /// <summary>The session's webhook ids, or null when it covers the whole workspace.</summary>
    public IReadOnlyList<Guid>? WebhookIds => Ids(Causeloop.Api.Portal.PortalAuthenticationHandler.WebhookClaim);

    public IReadOnlyList<Guid>? ConnectorIds => Ids(Causeloop.Api.Portal.PortalAuthenticationHandler.ConnectorClaim);

    /// <summary>
    /// The webhook as the portal may show it: one the session covers and an outbound one (the portal never shows or acts
    /// on an inbound webhook: it belongs to a connector's intake). Null otherwise, or when it does not exist.
    /// </summary>
    protected async Task<WebhookDto?> FindWebhookAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!CoversWebhook(id))
        {
            return null;
        }

        try
        {
            var webhook = await Sender.Send(new GetWebhookQuery(id), cancellationToken);
            return webhook.Direction == WebhookDirection.Outbound ? webhook : null;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs an action the session's capabilities must allow, on a webhook the portal may show — checked before anything
    /// is sent, so that nothing is changed on a webhook the portal would then answer 404 for. Refusals are bare status
    /// codes (404, 403, 429 with <c>Retry-After</c>): the portal's status page (<see cref="StatusModel"/>) renders them.
    /// </summary>
    protected async Task<IActionResult> ActAsync(PortalAction action, Guid webhookId, Func<Task<IActionResult>> act, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(act);
        if (!CoversWebhook(webhookId))
        {
            return NotFound();
        }

        if (!CanDo(action))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await FindWebhookAsync(webhookId, cancellationToken) is null)
        {
            return NotFound();
        }

        try
        {
            return await act();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (Exception e) when (e is MissingCapabilityException or MissingScopeException)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        catch (RateLimitedException limited)
        {
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            StatusModel.Explain(HttpContext, limited.Message);
            return StatusCode(StatusCodes.Status429TooManyRequests);
        }
    }

    private bool Covers(string claim, Guid id) =>
        User.HasClaim(claim, Causeloop.Api.Portal.PortalAuthenticationHandler.AllClaimValue) || User.HasClaim(claim, id.ToString());

    private Guid[]? Ids(string claim) =>
        User.HasClaim(claim, Causeloop.Api.Portal.PortalAuthenticationHandler.AllClaimValue) ? null : [.. User.FindAll(claim).Select(c => Guid.Parse(c.Value))];
}
