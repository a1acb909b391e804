namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// Wakes the worker early: on NOTIFY, when this instance commits new events (the same-process fast path), and
/// when an attempt frees a slot. Missed signals only cost a poll interval.
/// </summary>
public sealed class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Set()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already set.
        }
        catch (ObjectDisposedException)
        {
            // The worker is gone.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _signal.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public void Dispose() => _signal.Dispose();
}
