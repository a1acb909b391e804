using Causeloop.Application.Abstractions;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Outbox;

/// <summary>Enqueues an event in the transaction of the command that causes it (<see cref="EventOutboxWriter"/>).</summary>
public sealed class PostgresOutbox(DbSession session) : IOutbox
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
        return inserted.Count == 1;
    }
}
