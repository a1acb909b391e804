using Causeloop.Application.Common;
using Causeloop.Application.Webhooks;
using Causeloop.Application.Webhooks.UpdateWebhook;
using Causeloop.Domain.Portal;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Pages.Portal;

/// <summary>
/// <c>Edit</c> (capability <c>manage</c>): URL, event types and description, through the same
/// <see cref="UpdateWebhookCommand"/> as <c>PATCH /v1/webhooks/{id}</c>; its validation messages are shown next to their fields.
/// </summary>
public sealed class EditWebhookModel(ISender sender) : PortalPageModel(sender)
{
    public WebhookDto? Webhook { get; private set; }

    public WebhookForm Form { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!CoversWebhook(id))
        {
            return NotFound();
        }

        if (!CanDo(PortalAction.Edit))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Webhook = await FindWebhookAsync(id, cancellationToken);
        if (Webhook is null)
        {
            return NotFound();
        }

        Form = WebhookForm.Of(Webhook);
        return Page();
    }

    public Task<IActionResult> OnPostAsync(
        Guid id, string? url, [FromForm(Name = "event_types")] string[]? eventTypes, string? description, string? filter, CancellationToken cancellationToken) =>
        ActAsync(PortalAction.Edit, id, async () =>
        {
            Form = new WebhookForm { Url = url, EventTypes = eventTypes ?? [], Description = description, Filter = filter };
            try
            {
                if (Form.TryFilter(ModelState, out var parsed))
                {
                    await Sender.Send(new UpdateWebhookCommand(id, new PatchField<string?>(true, url),
                        new PatchField<IReadOnlyList<string>?>(true, Form.EventTypes), default, new PatchField<string?>(true, Form.DescriptionOrNull),
                        new PatchField<System.Text.Json.JsonElement?>(true, parsed)), cancellationToken);
                    return Redirect($"/portal/webhooks/{id}");
                }
            }
            catch (ValidationException refused)
            {
                WebhookForm.Explain(ModelState, refused);
            }
            catch (BadRequestException refused)
            {
                WebhookForm.Explain(ModelState, refused.Errors);
            }

            Webhook = await FindWebhookAsync(id, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }, cancellationToken);
}
