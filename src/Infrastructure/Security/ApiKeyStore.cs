using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Dapper;
using Npgsql;

namespace Causeloop.Infrastructure.Security;

/// <summary>Creates keys (the CLI) and resolves a presented key to its workspace and scopes (the auth handler).</summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public sealed record Caller(Guid KeyId, Guid WorkspaceId, ScopeSet Scopes);

    // A settable-property row: Dapper cannot bind a text[] column to a constructor parameter.
    private sealed class KeyRow
    {
        public Guid Id { get; set; }
        public Guid WorkspaceId { get; set; }
        public string[] Scopes { get; set; } = [];
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
        const string sql = "select id, workspace_id, scopes from api_keys where key_hash = @hash and revoked_at is null";
        if (!ApiKey.LooksValid(key))
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(sql, new { hash = ApiKey.Hash(key) }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new Caller(row.Id, row.WorkspaceId, ScopeSet.Parse(row.Scopes, out _));
    }

    public async Task RevokeAsync(string key, CancellationToken cancellationToken)
    {
        const string sql = "update api_keys set revoked_at = @now where key_hash = @hash and revoked_at is null";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { hash = ApiKey.Hash(key), now = time.UtcNow() }, cancellationToken: cancellationToken));
    }
}
