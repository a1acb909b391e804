using Causeloop.Application.Webhooks;
using Causeloop.Application.Webhooks.DeleteWebhook;
using Causeloop.Domain.Portal;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Pages.Portal;

/// <summary>
/// <c>Delete</c> (capability <c>manage</c>), with a confirmation: the webhook page's button opens this page, whose own
/// button sends the same <see cref="DeleteWebhookCommand"/> as <c>DELETE /v1/webhooks/{id}</c>.
/// </summary>
public sealed class DeleteWebhookModel(ISender sender) : PortalPageModel(sender)
{
    public WebhookDto? Webhook { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!CoversWebhook(id))
        {
            return NotFound();
        }

        if (!CanDo(PortalAction.Delete))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Webhook = await FindWebhookAsync(id, cancellationToken);
        return Webhook is null ? NotFound() : Page();
    }

    public Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(PortalAction.Delete, id, async () =>
        {
            await Sender.Send(new DeleteWebhookCommand(id), cancellationToken);
            return Redirect("/portal/webhooks");
        }, cancellationToken);
}
