using System.Text;
using System.Text.Json;
using Causeloop.Application.Common;
using Causeloop.Application.Deliveries;
using Causeloop.Application.Deliveries.GetDelivery;
using Causeloop.Application.Deliveries.Redeliver;
using Causeloop.Domain.Portal;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Pages.Portal;

public sealed class DeliveryModel(ISender sender) : PortalPageModel(sender)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public DeliveryDetailDto? Detail { get; private set; }

    public string? Notice { get; private set; }

    /// <summary>The exact body sent, indented for reading (as sent when it is not JSON).</summary>
    public string PrettyBody
    {
        get
        {
            var body = Detail?.Body ?? [];
            try
            {
                using var document = JsonDocument.Parse(body);
                return JsonSerializer.Serialize(document.RootElement, Indented);
            }
            catch (JsonException)
            {
                return Encoding.UTF8.GetString(body);
            }
        }
    }

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
            Notice = notice;
            return Page();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }
}
