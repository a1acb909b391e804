using Causeloop.Application.Abstractions;
using Causeloop.Application.Connectors;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Connectors;

public sealed class ConnectorRepository(DbSession session) : IConnectorRepository
{
    public async Task InsertAsync(Connector connector, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into connectors (id, workspace_id, name, kind, created_at)
            values (@Id, @WorkspaceId, @Name, @Kind, @CreatedAt)
            """;
        await session.ExecuteAsync(sql, connector, cancellationToken);
    }

    public async Task<bool> ExistsAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken)
    {
        const string sql = "select exists (select 1 from connectors where workspace_id = @workspaceId and id = @id and deleted_at is null)";
        return await session.ScalarAsync<bool>(sql, new { workspaceId, id }, cancellationToken);
    }

    public async Task<string?> KindAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken)
    {
        const string sql = "select kind from connectors where workspace_id = @workspaceId and id = @id and deleted_at is null";
        return await session.ScalarAsync<string?>(sql, new { workspaceId, id }, cancellationToken);
    }

    public async Task<bool> DeleteAsync(Guid workspaceId, Guid id, DateTime now, CancellationToken cancellationToken)
    {
        const string markDeleted = """
            update connectors set deleted_at = @now
            where workspace_id = @workspaceId and id = @id and deleted_at is null
            """;
        const string deleteInbound = "delete from webhooks where workspace_id = @workspaceId and connector_id = @id";
        if (await session.ExecuteAsync(markDeleted, new { workspaceId, id, now }, cancellationToken) == 0)
        {
            return false;
        }

        await session.ExecuteAsync(deleteInbound, new { workspaceId, id }, cancellationToken);
        return true;
    }
}
