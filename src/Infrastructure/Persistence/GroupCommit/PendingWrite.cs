using Causeloop.Application.Abstractions;
using Causeloop.Application.Inbound;

namespace Causeloop.Infrastructure.Persistence.GroupCommit;

/// <summary>One caller's write, waiting for the commit of the batch that takes it.</summary>
public sealed class PendingWrite(InboundEvent? inbound, OutboxEvent outboxEvent)
{
    private const int Waiting = 0, Started = 1, Cancelled = 2;
    private readonly TaskCompletionSource<WriteResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    /// <summary>The inbound event, for an inbound request (its <see cref="Event"/> is its <c>issue.ingested</c>).</summary>
    public InboundEvent? Inbound { get; } = inbound;

    public OutboxEvent Event { get; } = outboxEvent;

    public Task<WriteResult> Completion => _completion.Task;

    /// <summary>Set within a batch: the earlier write with the same key, whose outcome this one shares.</summary>
    public PendingWrite? Leader { get; set; }

    public WriteResult? Result { get; set; }

    /// <summary>The dedupe key within a batch: (connector, dedupe id) or (workspace, idempotency key), or null.</summary>
    public object? Key => Inbound is not null
        ? Inbound.EventId is { } id ? (Inbound.ConnectorId, id) : null
        : Event.IdempotencyKey is { } key ? (Event.WorkspaceId, key) : null;

    /// <summary>Takes the write for a batch, unless its caller gave up first.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Waiting) == Waiting;

    public void TryCancel()
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
        {
            _completion.TrySetCanceled();
        }
    }

    public void Complete() => _completion.TrySetResult(Leader is { Result: { } first } ? first with { Duplicate = true } : Result!.Value);

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
