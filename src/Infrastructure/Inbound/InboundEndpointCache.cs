using System.Collections.Concurrent;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Inbound;
using Dapper;
using Npgsql;

namespace Causeloop.Infrastructure.Inbound;

/// <summary>
/// Connectors' verification material, read from the database at most once per <see cref="Ttl"/> per connector
/// (unknown connectors included, so a flood of random ids costs one query each per interval, not one per
/// request). <see cref="Invalidate"/> drops everything at once; a generation number keeps a read that started
/// before an invalidation from putting stale material back.
/// </summary>
public sealed class InboundEndpointCache(NpgsqlDataSource dataSource, TimeProvider time, InboundSettings settings) : IInboundEndpoints
{
    /// <summary>Entries kept at most; past it, expired ones are dropped, and if that is not enough, all.</summary>
    public const int MaxEntries = 10_000;

    private sealed record Entry(InboundEndpoint? Endpoint, long ExpiresAt);

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    // Connectors found live at least once; kept across invalidations so a flood of unknown ids (whose look-ups are
    // limited apart) can never lock a live connector out of its own look-up.
    private readonly ConcurrentDictionary<Guid, byte> _known = new();
    private long _generation;

    public TimeSpan Ttl { get; } = settings.EndpointCacheTtl;

    public async ValueTask<InboundEndpoint?> FindAsync(Guid connectorId, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(connectorId, out var entry) && entry.ExpiresAt > now)
        {
            return entry.Endpoint;
        }

        var generation = Interlocked.Read(ref _generation);
        var endpoint = await ReadAsync(connectorId, cancellationToken);
        if (Interlocked.Read(ref _generation) == generation)
        {
            if (_entries.Count >= MaxEntries)
            {
                Trim(now);
            }

            _entries[connectorId] = new Entry(endpoint, now + (long)(Ttl.TotalSeconds * time.TimestampFrequency));
        }

        if (endpoint is not null)
        {
            if (_known.Count >= MaxEntries)
            {
                _known.Clear();
            }

            _known.TryAdd(connectorId, 0);
        }

        return endpoint;
    }

    public bool IsKnown(Guid connectorId) => _known.ContainsKey(connectorId);

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private void Trim(long now)
    {
        foreach (var (id, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(id, out _);
            }
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
    }

    private async Task<InboundEndpoint?> ReadAsync(Guid connectorId, CancellationToken cancellationToken)
    {
        const string sql = """
            select c.workspace_id, c.id as connector_id, c.kind, w.secret, w.previous_secret, w.previous_secret_expires_at
            from connectors c
            left join webhooks w on w.connector_id = c.id and w.workspace_id = c.workspace_id and w.direction = @inbound and w.enabled
            where c.id = @connectorId and c.deleted_at is null
            """;
        return await Persistence.DatabaseErrors.TranslateAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await connection.QuerySingleOrDefaultAsync<InboundEndpoint>(
                new CommandDefinition(sql, new { connectorId, inbound = Domain.Webhooks.WebhookDirection.Inbound }, cancellationToken: cancellationToken));
        });
    }
}
