using Causeloop.Application.Inbound;

namespace Causeloop.Application.Abstractions;

/// <summary>
/// Stores accepted events with group commit: concurrent calls are written together, one statement per table
/// and one transaction per batch, and each call returns only after the commit that stored its event. A
/// repeated dedupe id (inbound) or idempotency key (published) answers the first event's id as a duplicate,
/// also when both arrive in one batch. A batch that fails before its commit is retried one call at a time,
/// so a bad call fails alone.
/// </summary>
public interface IEventWriter
{
    /// <summary>The inbound event and its <c>issue.ingested</c> outbox event, in one transaction (nothing is emitted for a duplicate).</summary>
    ValueTask<WriteResult> StoreInboundAsync(InboundEvent inbound, OutboxEvent issueIngested, CancellationToken cancellationToken);

    /// <summary>An event for delivery (<c>POST /v1/events</c>).</summary>
    ValueTask<WriteResult> PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken);
}

/// <summary>The stored event's id, or the first one's when <see cref="Duplicate"/>.</summary>
public readonly record struct WriteResult(Guid Id, bool Duplicate);
