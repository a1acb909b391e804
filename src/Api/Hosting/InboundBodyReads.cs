namespace Causeloop.Api.Hosting;

/// <summary>
/// Bounds how many inbound bodies are being received at once. Until its signature is checked a request has proved
/// nothing, so a crowd of slow or idle senders must not be able to hold the service's memory and threads.
/// </summary>
public sealed class InboundBodyReads(int max) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(max, max);

    /// <summary>Takes a slot if one is free right now (never waits).</summary>
    public bool TryEnter() => _slots.Wait(0);

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
