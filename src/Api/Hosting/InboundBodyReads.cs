namespace Causeloop.Api.Hosting;

/// <summary>
/// Bounds how many inbound bodies are being received at once, in all (<c>MaxConcurrentBodyReads</c>) and from one
/// source (<c>MaxConcurrentBodyReadsPerAddress</c>: an IPv4 address or an IPv6 /64). Until its signature is checked a
/// request has proved nothing, so a crowd of slow or idle senders must not be able to hold the service's memory and
/// threads, and one source must not be able to take every slot from the others.
/// </summary>
public sealed class InboundBodyReads(int max, int maxPerSource) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(max, max);
    private readonly Dictionary<string, int> _perSource = [];
    private readonly Lock _gate = new();

    /// <summary>
    /// Takes a slot for a body from <paramref name="source"/> if that source and the service both have one free right
    /// now (never waits); else says which is full.
    /// </summary>
    public bool TryEnter(string source, out string refusal)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_gate)
        {
            var taken = _perSource.GetValueOrDefault(source);
            if (taken >= maxPerSource)
            {
                refusal = "Too many requests from this address are being received at once.";
                return false;
            }

            _perSource[source] = taken + 1;
        }

        if (_slots.Wait(0))
        {
            refusal = string.Empty;
            return true;
        }

        Release(source);
        refusal = "Too many requests are being received at once.";
        return false;
    }

    /// <summary>Gives back the slot <see cref="TryEnter"/> took for <paramref name="source"/>.</summary>
    public void Exit(string source)
    {
        _slots.Release();
        Release(source);
    }

    public void Dispose() => _slots.Dispose();

    private void Release(string source)
    {
        lock (_gate)
        {
            var left = _perSource[source] - 1;
            if (left == 0)
            {
                _perSource.Remove(source);
            }
            else
            {
                _perSource[source] = left;
            }
        }
    }
}
