using Causeloop.Application.EventTypes.ListEventTypes;
using Causeloop.Application.Portal;
using Causeloop.Application.Portal.ListPortalWebhooks;
using Causeloop.Application.Webhooks.TestWebhook;
using Causeloop.Domain.Portal;
using Causeloop.Domain.Webhooks;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Pages.Portal;

/// <summary>
/// The event catalog: each type's description, example and JSON Schema; with <c>manage</c>, <c>Send example event</c> of a
/// type to one of the session's endpoints (the same <see cref="TestWebhookCommand"/> as <c>POST /v1/webhooks/{id}/test</c>).
/// </summary>
public sealed class EventTypesModel(ISender sender) : PortalPageModel(sender)
{
    public IReadOnlyList<EventType> Types { get; private set; } = [];

    /// <summary>The endpoints an example can be sent to: the session's outbound webhooks.</summary>
    public IReadOnlyList<PortalWebhookSummary> Endpoints { get; private set; } = [];

    public string? Notice { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostSendExampleAsync(string? type, Guid webhookId, CancellationToken cancellationToken) =>
        ActAsync(PortalAction.SendExampleEvent, webhookId, async () =>
        {
            var sent = await Sender.Send(new TestWebhookCommand(webhookId, type), cancellationToken);
            await LoadAsync(cancellationToken);
            var endpoint = Endpoints.FirstOrDefault(w => w.Id == webhookId)?.Url;
            Notice = $"An example {type} event ({sent.Id}) is on its way to {endpoint}.";
            return Page();
        }, cancellationToken);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Types = await Sender.Send(new ListEventTypesQuery(), cancellationToken);
        if (CanDo(PortalAction.SendExampleEvent))
        {
            Endpoints = await Sender.Send(new ListPortalWebhooksQuery(WebhookIds), cancellationToken);
        }
    }
}
