using Causeloop.Application.Common;
using Causeloop.Application.Webhooks.CreateWebhook;
using Causeloop.Domain.Portal;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Pages.Portal;

/// <summary>
/// <c>Add endpoint</c> (capability <c>manage</c>): the same <see cref="CreateWebhookCommand"/> as <c>POST /v1/webhooks</c>;
/// its validation messages are shown next to their fields. A session limited to some webhooks covers the new one.
/// </summary>
public sealed class NewWebhookModel(ISender sender) : PortalPageModel(sender)
{
    public WebhookForm Form { get; private set; } = new();

    public IActionResult OnGet() => CanDo(PortalAction.AddEndpoint) ? Page() : StatusCode(StatusCodes.Status403Forbidden);

    public async Task<IActionResult> OnPostAsync(
        string? url, [FromForm(Name = "event_types")] string[]? eventTypes, string? description, string? filter, CancellationToken cancellationToken)
    {
        if (!CanDo(PortalAction.AddEndpoint))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Form = new WebhookForm { Url = url, EventTypes = eventTypes ?? [], Description = description, Filter = filter };
        try
        {
            if (!Form.TryFilter(ModelState, out var parsed))
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }

            var created = await Sender.Send(new CreateWebhookCommand(url, Form.EventTypes, null, Form.DescriptionOrNull, null, Filter: parsed), cancellationToken);
            return Redirect($"/portal/webhooks/{created.Webhook.Id}");
        }
        catch (ValidationException refused)
        {
            WebhookForm.Explain(ModelState, refused);
        }
        catch (BadRequestException refused)
        {
            WebhookForm.Explain(ModelState, refused.Errors);
        }
        catch (Exception e) when (e is MissingCapabilityException or MissingScopeException)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
