using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Events;
using Causeloop.Application.Events.PublishEvent;
using Causeloop.Domain.Events;
using Causeloop.Domain.Webhooks;
using Mediator;

namespace Causeloop.Application.Webhooks.TestWebhook;

public sealed class TestWebhookCommandHandler(ICurrentCaller caller, IWebhookReadStore webhooks, IOutbox outbox, TimeProvider time)
    : ICommandHandler<TestWebhookCommand, PublishedEvent>
{
    public async ValueTask<PublishedEvent> Handle(TestWebhookCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var webhook = await webhooks.GetAsync(caller.WorkspaceId, command.Id, cancellationToken) ?? throw new NotFoundException("webhook");
        if (webhook.Direction != WebhookDirection.Outbound)
        {
            throw new ConflictException("Only outbound webhooks are delivered to; an inbound webhook cannot be tested this way.");
        }

        var now = time.UtcNow();
        var id = Ids.New(time);
        var body = EventEnvelope.Serialize(id, EventType.WebhookTest.Name, now, writer =>
        {
            writer.WriteString("webhook_id", webhook.Id);
            writer.WriteString("message", "This is a test event from Causeloop.");
        });
        await outbox.EnqueueAsync(new OutboxEvent(id, caller.WorkspaceId, EventType.WebhookTest.Name, body, now, TargetWebhookId: webhook.Id) { Cause = EventCause.Test() }, cancellationToken);
        return new PublishedEvent(id, Duplicate: false);
    }
}
