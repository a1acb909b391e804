using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Webhooks;
using Mediator;

namespace Causeloop.Application.Deliveries.Recover;

/// <summary>
/// Recovers, or with a dry run previews, the webhook's dead deliveries of a window. Both ask the store with the same
/// window, types and domain rule (<c>Delivery.IsRecoverable</c>), so a dry run counts exactly what a real run creates.
/// </summary>
public sealed class RecoverWebhookCommandHandler(ICurrentCaller caller, IWebhookReadStore webhooks, IDeliveryStore deliveries, TimeProvider time)
    : ICommandHandler<RecoverWebhookCommand, RecoverResult>
{
    public async ValueTask<RecoverResult> Handle(RecoverWebhookCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var webhook = await webhooks.GetAsync(caller.WorkspaceId, command.WebhookId, cancellationToken) ?? throw new NotFoundException("webhook");
        if (webhook.Direction != WebhookDirection.Outbound)
        {
            throw new ConflictException("Only an outbound webhook has deliveries to recover.");
        }

        var window = new RecoverWindow(command.Since!.Value.ToUniversalTime(), (command.Until ?? DateTime.MaxValue).ToUniversalTime(),
            command.EventTypes is { } types ? [.. types.Distinct(StringComparer.Ordinal)] : null);
        if (command.DryRun)
        {
            return await deliveries.PreviewRecoverAsync(caller.WorkspaceId, command.WebhookId, window, RecoverResult.SampleSize, cancellationToken);
        }

        return new RecoverResult(await deliveries.RecoverAsync(caller.WorkspaceId, command.WebhookId, window, time.UtcNow(), cancellationToken), null);
    }
}
