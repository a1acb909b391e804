using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Events;
using Mediator;

namespace Causeloop.Application.Events.PublishEvent;

/// <summary>Writes the event to the outbox (group commit, answered after it commits); a repeated idempotency key returns the first event's id and emits nothing.</summary>
public sealed class PublishEventCommandHandler(ICurrentCaller caller, IEventWriter writer, TimeProvider time)
    : ICommandHandler<PublishEventCommand, PublishedEvent>
{
    public async ValueTask<PublishedEvent> Handle(PublishEventCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var now = time.UtcNow();
        var id = Ids.New(time);
        var body = EventEnvelope.Serialize(id, command.Type!, now, command.Data!.Value);
        var outboxEvent = new OutboxEvent(id, caller.WorkspaceId, command.Type!, body, now, command.IdempotencyKey, OrderingKey: command.OrderingKey)
        {
            Cause = EventCause.Api(caller.ApiKeyPrefix ?? throw new InvalidOperationException("Only an API key publishes events.")),
        };
        var stored = await writer.PublishAsync(outboxEvent, cancellationToken);
        return new PublishedEvent(stored.Id, stored.Duplicate);
    }
}
