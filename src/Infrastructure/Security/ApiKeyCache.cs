using System.Collections.Concurrent;

namespace Causeloop.Infrastructure.Security;

/// <summary>
/// The keys this instance has found valid, by their hash, so that an API request costs no look-up in the database. It
/// serves only while <see cref="ApiKeyChangeListener"/> LISTENs for changes to the keys (a trigger on <c>api_keys</c>
/// NOTIFYs at each commit that revokes or deletes one); each change forgets every entry, and so do losing and regaining
/// the LISTEN connection. Without it (behind a transaction pooler, or while the connection is down) every request looks
/// its key up, as before. An entry is also forgotten after <see cref="MaxAge"/>, a bound for a connection that died
/// without saying so. A look-up that began before a change never stores its answer after it (<see cref="Generation"/>).
/// </summary>
public sealed class ApiKeyCache(TimeProvider time)
{
    /// <summary>The NOTIFY channel of the trigger on <c>api_keys</c>.</summary>
    public const string Channel = "causeloop_api_keys";

    /// <summary>The longest a key is served from memory without being looked up again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    /// <summary>Keys kept at most; past it, new keys are looked up every time until a change clears the cache.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (ApiKeyStore.Caller Caller, long At)> _entries = new(StringComparer.Ordinal);
    private long _generation;
    private volatile bool _listening;

    /// <summary>Whether the cache serves (its listener is LISTENing).</summary>
    public bool Serving => _listening;

    /// <summary>Changes each time the cache is cleared; read it before a look-up and pass it to <see cref="Remember"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string keyHash, out ApiKeyStore.Caller? caller)
    {
        caller = null;
        if (!_listening || !_entries.TryGetValue(keyHash, out var entry))
        {
            return false;
        }

        if (time.GetElapsedTime(entry.At) >= MaxAge)
        {
            _entries.TryRemove(KeyValuePair.Create(keyHash, entry));
            return false;
        }

        caller = entry.Caller;
        return true;
    }

    /// <summary>Keeps a valid key found by a look-up that began at <paramref name="generation"/>, unless the keys changed since.</summary>
    public void Remember(string keyHash, ApiKeyStore.Caller caller, long generation)
    {
        if (!_listening || _entries.Count >= MaxEntries)
        {
            return;
        }

        _entries[keyHash] = (caller, time.GetTimestamp());
        if (Generation != generation)
        {
            // The keys changed while it was looked up (or while storing it): it may be revoked.
            _entries.TryRemove(keyHash, out _);
        }
    }

    /// <summary>A key changed (NOTIFY): forget every entry.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>The listener started (true) or stopped (false) LISTENing: either way, what was kept may have changed unseen.</summary>
    public void SetListening(bool listening)
    {
        _listening = listening;
        Clear();
    }
}
