using Causeloop.Application.Portal;
using Causeloop.Application.Portal.ListPortalWebhooks;
using Mediator;

namespace Causeloop.Api.Pages.Portal;

public sealed class WebhooksModel(ISender sender) : PortalPageModel(sender)
{
    public IReadOnlyList<PortalWebhookSummary> Webhooks { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Webhooks = await Sender.Send(new ListPortalWebhooksQuery(WebhookIds), cancellationToken);
}
