using System.Globalization;
using Causeloop.Application.Common;
using Causeloop.Application.Deliveries;
using Causeloop.Application.Deliveries.ListDeliveries;
using Causeloop.Application.Deliveries.Recover;
using Causeloop.Application.Portal.RevealWebhookSecret;
using Causeloop.Application.Webhooks;
using Causeloop.Application.Webhooks.RotateWebhookSecret;
using Causeloop.Application.Webhooks.TestWebhook;
using Causeloop.Application.Webhooks.UpdateWebhook;
using Causeloop.Domain.Portal;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Pages.Portal;

public sealed class WebhookModel(ISender sender) : PortalPageModel(sender)
{
    public WebhookDto? Webhook { get; private set; }

    public IReadOnlyList<DeliveryDto> Deliveries { get; private set; } = [];

    public string? NextCursor { get; private set; }

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    [BindProperty(SupportsGet = true)] public string? Type { get; set; }

    [BindProperty(SupportsGet = true)] public DateTime? From { get; set; }

    [BindProperty(SupportsGet = true)] public DateTime? To { get; set; }

    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public string? Notice { get; private set; }

    public string? RevealedSecret { get; private set; }

    public string NextPageUrl =>
        $"/portal/webhooks/{Webhook!.Id}?status={Uri.EscapeDataString(Status ?? "")}&type={Uri.EscapeDataString(Type ?? "")}"
        + $"&from={From?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)}&to={To?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)}&cursor={Uri.EscapeDataString(NextCursor ?? "")}";

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => ShowAsync(id, null, cancellationToken);

    public Task<IActionResult> OnPostTestAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(PortalAction.SendTestEvent, id, async () =>
        {
            await Sender.Send(new TestWebhookCommand(id), cancellationToken);
            return await ShowAsync(id, "A test event is on its way.", cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostRecoverAsync(Guid id, DateTime? since, CancellationToken cancellationToken) =>
        ActAsync(PortalAction.Recover, id, async () =>
        {
            var count = (await Sender.Send(new RecoverWebhookCommand(id, since is { } s ? DateTime.SpecifyKind(s, DateTimeKind.Utc) : null, null), cancellationToken)).Count;
            return await ShowAsync(id, count == 1 ? "1 dead delivery will be sent again." : $"{count} dead deliveries will be sent again.", cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(Guid id, CancellationToken cancellationToken) => SetEnabledAsync(PortalAction.Disable, id, false, cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(Guid id, CancellationToken cancellationToken) => SetEnabledAsync(PortalAction.Enable, id, true, cancellationToken);

    public Task<IActionResult> OnPostRotateAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(PortalAction.RotateSecret, id, async () =>
        {
            var rotated = await Sender.Send(new RotateWebhookSecretCommand(id), cancellationToken);
            RevealedSecret = rotated.SigningSecret;
            return await ShowAsync(id, "The secret was rotated; the previous one keeps working during the overlap.", cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostRevealAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(PortalAction.RevealSecret, id, async () =>
        {
            RevealedSecret = await Sender.Send(new RevealWebhookSecretQuery(id), cancellationToken);
            return await ShowAsync(id, null, cancellationToken);
        }, cancellationToken);

    private Task<IActionResult> SetEnabledAsync(PortalAction action, Guid id, bool enabled, CancellationToken cancellationToken) =>
        ActAsync(action, id, async () =>
        {
            await Sender.Send(new UpdateWebhookCommand(id, default, default,
                new PatchField<bool?>(true, enabled), default), cancellationToken);
            return await ShowAsync(id, enabled ? "Enabled." : "Disabled.", cancellationToken);
        }, cancellationToken);

    private async Task<IActionResult> ShowAsync(Guid id, string? notice, CancellationToken cancellationToken)
    {
        Webhook = await FindWebhookAsync(id, cancellationToken);
        if (Webhook is null)
        {
            return NotFound();
        }

        try
        {
            var page = await Sender.Send(new ListDeliveriesQuery(id, string.IsNullOrEmpty(Status) ? null : Status, 25, string.IsNullOrEmpty(Cursor) ? null : Cursor,
                string.IsNullOrWhiteSpace(Type) ? null : Type.Trim(),
                From is { } f ? DateTime.SpecifyKind(f, DateTimeKind.Utc) : null,
                To is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : null), cancellationToken);
            Deliveries = page.Data;
            NextCursor = page.NextCursor;
            Notice = notice;
            return Page();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }
}
