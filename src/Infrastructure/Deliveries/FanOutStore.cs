using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Deliveries;

/// <summary>
/// The fan-out's SQL: outbox rows are locked with <c>FOR UPDATE SKIP LOCKED</c> (so instances share the work), and the
/// transaction commits without waiting for the WAL flush (a fan-out lost in a crash is done again, ADR 0006).
/// </summary>
public sealed class FanOutStore(RederivableWork rederivable) : IFanOutStore
{
    private readonly FilterCache _filters = new();

    public async Task<IFanOutBatch> TakeAsync(int batch, CancellationToken cancellationToken)
    {
        var connection = await DatabaseErrors.TranslateAsync(() => rederivable.DataSource.OpenConnectionAsync(cancellationToken).AsTask());
        try
        {
            return await DatabaseErrors.TranslateAsync(() => FanOutBatch.TakeAsync(connection, batch, _filters, rederivable, cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
