using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Webhooks.DeleteWebhook;

/// <summary>Deletes the webhook and cancels its pending deliveries (the log of past ones is kept).</summary>
public sealed class DeleteWebhookCommandHandler(ICurrentCaller caller, IWebhookRepository webhooks, IDeliveryStore deliveries, TimeProvider time,
    IUnitOfWork unitOfWork, IInboundEndpoints inboundEndpoints)
    : ICommandHandler<DeleteWebhookCommand>
{
    public async ValueTask<Unit> Handle(DeleteWebhookCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        unitOfWork.AfterCommit(inboundEndpoints.Invalidate); // a change to connectors' verification takes effect at once
        if (!await webhooks.DeleteAsync(caller.WorkspaceId, command.Id, cancellationToken))
        {
            throw new NotFoundException("webhook");
        }

        await deliveries.CancelUnfinishedAsync(caller.WorkspaceId, command.Id, time.UtcNow(), cancellationToken);
        return Unit.Value;
    }
}
