using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Events;
using Causeloop.Application.Events.PublishEvent;
using Causeloop.Domain.Events;
using Causeloop.Domain.Webhooks;
using Mediator;

namespace Causeloop.Application.Webhooks.TestWebhook;

/// <summary>A test or example event to this webhook alone (enabled or not, whatever it subscribes to); its cause is <c>test</c>.</summary>
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
        var type = EventType.Catalog.Single(t => t.Name == (command.EventType ?? EventType.WebhookTest.Name));
        byte[] body;
        if (type == EventType.WebhookTest)
        {
            body = EventEnvelope.Serialize(id, type.Name, now, writer =>
            {
                writer.WriteString("webhook_id", webhook.Id);
                writer.WriteString("message", "This is a test event from Causeloop.");
            });
        }
        else
        {
            using var example = JsonDocument.Parse(type.Example);
            body = EventEnvelope.Serialize(id, type.Name, now, example.RootElement);
        }

        await outbox.EnqueueAsync(new OutboxEvent(id, caller.WorkspaceId, type.Name, body, now, TargetWebhookId: webhook.Id) { Cause = EventCause.Test() }, cancellationToken);
        return new PublishedEvent(id, Duplicate: false);
    }
}
