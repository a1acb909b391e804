using System.Threading.Channels;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Application.Inbound;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Causeloop.Infrastructure.Persistence.GroupCommit;

/// <summary>
/// Group commit for accepted events: the queue and its writers (the SQL of one batch is <see cref="GroupCommitBatch"/>).
/// Callers queue a write and wait; each of <see cref="GroupCommitOptions.Writers"/> loops takes whatever is queued (up to
/// <see cref="GroupCommitOptions.MaxBatch"/>), writes it in one transaction, and completes every caller after the commit.
/// While a batch commits the next one gathers, so batches grow with the load and cost nothing when idle.
/// <list type="bullet">
/// <item>Nothing is acknowledged before the commit that stores it.</item>
/// <item>A batch that fails before its commit because of one of its writes is split in halves until that write fails
/// alone; the others are stored. One that fails because the database cannot be used fails at once, whole (503), without
/// a retry per write. A failed commit fails its whole batch (503: the outcome is unknown; callers retry with their dedupe
/// ids).</item>
/// <item>At most <see cref="GroupCommitOptions.MaxQueue"/> writes wait; past it a write is refused at once (503).</item>
/// <item>A caller that gives up before its write is taken is never written.</item>
/// </list>
/// </summary>
public sealed partial class GroupCommitWriter(
    NpgsqlDataSource dataSource,
    WorkSignal workSignal,
    IOptions<GroupCommitOptions> settings,
    ILogger<GroupCommitWriter> logger) : IEventWriter, IHostedService
{
    private readonly GroupCommitOptions _options = settings.Value;
    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(settings.Value.MaxQueue) { FullMode = BoundedChannelFullMode.Wait, SingleReader = false, SingleWriter = false });

    private Task[] _loops = [];
    private bool _stopping;

    public ValueTask<WriteResult> StoreInboundAsync(InboundEvent inbound, OutboxEvent issueIngested, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(issueIngested);
        return EnqueueAsync(new PendingWrite(inbound, issueIngested), cancellationToken);
    }

    public ValueTask<WriteResult> PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        return EnqueueAsync(new PendingWrite(null, outboxEvent), cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loops = [.. Enumerable.Range(0, _options.Writers).Select(_ => Task.Run(RunAsync, CancellationToken.None))];
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Writes already queued are stored (their callers are waiting); new ones are refused.
        _stopping = true;
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).WaitAsync(cancellationToken);
    }

    private async ValueTask<WriteResult> EnqueueAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            throw _stopping
                ? new UnavailableException("The service is stopping; nothing was stored. Retry shortly.")
                : new UnavailableException("Too many writes are waiting to be stored; nothing was stored. Retry shortly.", TimeSpan.FromSeconds(1));
        }

        await using (cancellationToken.Register(static w => ((PendingWrite)w!).TryCancel(), write))
        {
            return await write.Completion;
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>(_options.MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && reader.TryRead(out var write))
            {
                if (write.TryStart())
                {
                    batch.Add(write);
                }
            }

            if (batch.Count > 0)
            {
                await WriteAsync([.. batch]);
            }
        }
    }

    /// <summary>Writes the batch; a write that fails it is isolated by halving, the rest stored.</summary>
    private async Task WriteAsync(IReadOnlyList<PendingWrite> batch)
    {
        try
        {
            if (await GroupCommitBatch.WriteAsync(dataSource, batch, CancellationToken.None))
            {
                workSignal.Set(); // this instance's worker at once; the NOTIFY tells the others
            }

            foreach (var write in batch)
            {
                write.Complete();
            }
        }
        catch (Exception e) when (batch.Count > 1 && e is not CommitFailedException && !DatabaseErrors.IsUnavailable(e))
        {
            LogBatchSplit(logger, batch.Count, e);
            var half = batch.Count / 2;
            await WriteAsync([.. batch.Take(half)]);
            await WriteAsync([.. batch.Skip(half)]);
        }
        catch (Exception e)
        {
            var cause = DatabaseErrors.Translate(e is CommitFailedException failed ? failed.InnerException! : e, committing: e is CommitFailedException);
            foreach (var write in batch)
            {
                write.Fail(cause);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} writes failed before its commit; writing its halves apart")]
    private static partial void LogBatchSplit(ILogger logger, int count, Exception exception);
}
