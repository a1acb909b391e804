namespace Causeloop.Application.Abstractions;

/// <summary>Writes an event in the current transaction; the delivery worker fans it out after commit.</summary>
public interface IOutbox
{
    /// <summary>Enqueues the event; returns false when <paramref name="outboxEvent"/>'s idempotency key was used before.</summary>
    Task<bool> EnqueueAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken);
}
