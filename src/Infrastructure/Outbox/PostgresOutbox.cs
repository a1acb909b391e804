using Causeloop.Application.Abstractions;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Outbox;

/// <summary>
/// Enqueues an event in the transaction of the command that causes it (<see cref="EventOutboxWriter"/>), and wakes this
/// instance's worker once that transaction has committed (its NOTIFY tells the others; behind a transaction pooler,
/// where nobody LISTENs, this is how a command's event goes out without waiting for the next poll).
/// </summary>
public sealed class PostgresOutbox(DbSession session, WorkSignal signal) : IOutbox
{
    public async Task<bool> EnqueueAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        if (session.Transaction is null)
        {
            throw new InvalidOperationException("Events are enqueued only inside the transaction of the change that causes them.");
        }

        var inserted = await DatabaseErrors.TranslateAsync(async () =>
            await EventOutboxWriter.InsertAsync(await session.ConnectionAsync(cancellationToken), session.Transaction, [outboxEvent], cancellationToken));
        if (inserted.Count == 1)
        {
            session.AfterCommit(signal.Set);
        }

        return inserted.Count == 1;
    }
}
