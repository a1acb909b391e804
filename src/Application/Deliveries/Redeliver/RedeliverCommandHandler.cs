using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Deliveries.Redeliver;

public sealed class RedeliverCommandHandler(ICurrentCaller caller, IWebhookReadStore webhooks, IDeliveryStore deliveries, TimeProvider time)
    : ICommandHandler<RedeliverCommand, Guid>
{
    public async ValueTask<Guid> Handle(RedeliverCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        _ = await webhooks.GetAsync(caller.WorkspaceId, command.WebhookId, cancellationToken) ?? throw new NotFoundException("webhook");
        var original = await deliveries.GetAsync(caller.WorkspaceId, command.WebhookId, command.DeliveryId, cancellationToken)
            ?? throw new NotFoundException("delivery");
        var id = Ids.New(time);
        await deliveries.InsertAsync(caller.WorkspaceId, id, command.WebhookId, original.EventId, time.UtcNow(), cancellationToken);
        return id;
    }
}
