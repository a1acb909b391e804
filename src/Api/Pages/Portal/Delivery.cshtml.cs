using Causeloop.Application.Common;
using Causeloop.Application.Deliveries;
using Causeloop.Application.Deliveries.GetDelivery;
using Causeloop.Application.Deliveries.Redeliver;
using Causeloop.Application.Events.GetEventCause;
using Causeloop.Domain.Events;
using Causeloop.Domain.Portal;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Pages.Portal;

public sealed class DeliveryModel(ISender sender) : PortalPageModel(sender)
{
    public DeliveryDetailDto? Detail { get; private set; }

    public string? Notice { get; private set; }

    /// <summary>Where the delivery's event came from (null for an event written before causes were recorded).</summary>
    public EventCause? Cause { get; private set; }

    /// <summary>The exact body sent, indented for reading (as sent when it is not JSON).</summary>
    public string PrettyBody => PrettyJson.Of(Detail?.Body);

    public Task<IActionResult> OnGetAsync(Guid webhookId, Guid deliveryId, CancellationToken cancellationToken) =>
        ShowAsync(webhookId, deliveryId, null, cancellationToken);

    public Task<IActionResult> OnPostRedeliverAsync(Guid webhookId, Guid deliveryId, CancellationToken cancellationToken) =>
        ActAsync(PortalAction.Redeliver, webhookId, async () =>
        {
            var fresh = await Sender.Send(new RedeliverCommand(webhookId, deliveryId), cancellationToken);
            return Redirect($"/portal/webhooks/{webhookId}/deliveries/{fresh}");
        }, cancellationToken);

    private async Task<IActionResult> ShowAsync(Guid webhookId, Guid deliveryId, string? notice, CancellationToken cancellationToken)
    {
        if (await FindWebhookAsync(webhookId, cancellationToken) is null)
        {
            return NotFound();
        }

        try
        {
            Detail = await Sender.Send(new GetDeliveryQuery(webhookId, deliveryId), cancellationToken);
            Cause = await Sender.Send(new GetEventCauseQuery(Detail.Delivery.EventId), cancellationToken);
            Notice = notice;
            return Page();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }
}
