using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Dapper;
using Npgsql;

namespace Causeloop.Infrastructure.Security;

/// <summary>
/// Creates keys (the CLI) and resolves a presented key to its workspace and scopes (the auth handler), from
/// <see cref="ApiKeyCache"/> when it serves (the service), else from the database.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource, TimeProvider time, ApiKeyCache? cache = null)
{
    public sealed record Caller(Guid KeyId, Guid WorkspaceId, ScopeSet Scopes, string Prefix);

    // A settable-property row: Dapper cannot bind a text[] column to a constructor parameter.
    private sealed class KeyRow
    {
        public Guid Id { get; set; }
        public Guid WorkspaceId { get; set; }
        public string[] Scopes { get; set; } = [];
        public string Prefix { get; set; } = string.Empty;
    }

    public async Task<string> CreateAsync(string workspaceName, ScopeSet scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        const string upsertWorkspace = """
            insert into workspaces (id, name, created_at) values (@id, @name, @now)
            on conflict (name) do update set name = excluded.name
            returning id
            """;
        const string insertKey = """
            insert into api_keys (id, workspace_id, prefix, key_hash, scopes, created_at)
            values (@id, @workspaceId, @prefix, @hash, @scopes, @now)
            """;

        var now = time.UtcNow();
        var key = ApiKey.Generate();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var workspaceId = await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
            upsertWorkspace, new { id = Ids.New(time), name = workspaceName, now }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            insertKey,
            new { id = Ids.New(time), workspaceId, prefix = ApiKey.VisiblePrefix(key), hash = ApiKey.Hash(key), scopes = scopes.Scopes.Select(s => s.Value).ToArray(), now },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return key;
    }

    public async Task<Caller?> FindAsync(string key, CancellationToken cancellationToken)
    {
        const string sql = "select id, workspace_id, scopes, prefix from api_keys where key_hash = @hash and revoked_at is null";
        if (!ApiKey.LooksValid(key))
        {
            return null;
        }

        var hash = ApiKey.Hash(key);
        var cacheKey = Convert.ToHexString(hash);
        if (cache is not null && cache.TryGet(cacheKey, out var known))
        {
            return known;
        }

        var generation = cache?.Generation ?? 0;
        var row = await Persistence.DatabaseErrors.TranslateAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(sql, new { hash }, cancellationToken: cancellationToken));
        });
        if (row is null)
        {
            return null; // unknown keys are never kept: a flood of them costs no memory
        }

        var caller = new Caller(row.Id, row.WorkspaceId, ScopeSet.Parse(row.Scopes, out _), row.Prefix);
        cache?.Remember(cacheKey, caller, generation);
        return caller;
    }

    public async Task RevokeAsync(string key, CancellationToken cancellationToken)
    {
        const string sql = "update api_keys set revoked_at = @now where key_hash = @hash and revoked_at is null";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { hash = ApiKey.Hash(key), now = time.UtcNow() }, cancellationToken: cancellationToken));
        cache?.Clear(); // this instance at once; the others (and this one again) by the trigger's NOTIFY
    }

    /// <summary>A key as the operator sees it: never the key itself, only its visible prefix.</summary>
    public sealed record KeyInfo(string Prefix, string Workspace, string[] Scopes, DateTime CreatedAt, DateTime? RevokedAt);

    /// <summary>Every key (of one workspace, when named), newest first.</summary>
    public async Task<IReadOnlyList<KeyInfo>> ListAsync(string? workspaceName, CancellationToken cancellationToken)
    {
        const string sql = """
            select k.prefix, w.name as workspace, k.scopes, k.created_at, k.revoked_at
            from api_keys k join workspaces w on w.id = k.workspace_id
            where @workspace::text is null or w.name = @workspace
            order by k.created_at desc, k.prefix
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyInfoRow>(new CommandDefinition(sql, new { workspace = workspaceName }, cancellationToken: cancellationToken));
        return rows.Select(r => new KeyInfo(r.Prefix, r.Workspace, r.Scopes, r.CreatedAt, r.RevokedAt)).ToArray();
    }

    /// <summary>
    /// Revokes the one active key with this visible prefix; the API refuses it from the next request on (each instance
    /// forgets the keys it remembered when the revocation commits: <see cref="ApiKeyCache"/>). Returns how many active keys had the prefix: only 1 revokes anything.
    /// </summary>
    public async Task<int> RevokeByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        const string sql = """
            with matching as (select id from api_keys where prefix = @prefix and revoked_at is null),
                 revoked as (
                     update api_keys set revoked_at = @now
                     where id in (select id from matching) and (select count(*) from matching) = 1
                     returning 1)
            select count(*)::int from matching
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var matching = await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { prefix, now = time.UtcNow() }, cancellationToken: cancellationToken));
        cache?.Clear(); // this instance at once; the others by the trigger's NOTIFY
        return matching;
    }

    private sealed class KeyInfoRow
    {
        public string Prefix { get; set; } = "";
        public string Workspace { get; set; } = "";
        public string[] Scopes { get; set; } = [];
        public DateTime CreatedAt { get; set; }
        public DateTime? RevokedAt { get; set; }
    }
}
