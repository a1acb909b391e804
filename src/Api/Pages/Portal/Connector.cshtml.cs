using Causeloop.Application.Common;
using Causeloop.Application.Portal;
using Causeloop.Application.Portal.GetPortalConnector;
using Causeloop.Application.Portal.ListPortalWebhooks;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Pages.Portal;

/// <summary>
/// One connector: each of its latest inbound events with the body received (pretty-printed), its source fields and the event
/// it caused with that event's deliveries to the session's endpoints; and its rejection log.
/// </summary>
public sealed class ConnectorModel(ISender sender) : PortalPageModel(sender)
{
    private Dictionary<Guid, string?> _urls = [];

    public PortalConnectorDetail? Connector { get; private set; }

    /// <summary>The URL of one of the session's endpoints, to name a delivery's target.</summary>
    public string? UrlOf(Guid webhookId) => _urls.GetValueOrDefault(webhookId);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!CoversConnector(id))
        {
            return NotFound();
        }

        try
        {
            Connector = await Sender.Send(new GetPortalConnectorQuery(id, WebhookIds), cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        _urls = (await Sender.Send(new ListPortalWebhooksQuery(WebhookIds), cancellationToken)).ToDictionary(w => w.Id, w => w.Url);
        return Page();
    }
}
