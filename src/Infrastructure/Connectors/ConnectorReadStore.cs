using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Connectors;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Connectors;

public sealed class ConnectorReadStore(DbSession session) : IConnectorReadStore
{
    private const string Columns = "id, workspace_id, name, kind, created_at";

    public Task<Connector?> GetAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken)
    {
        const string sql = $"select {Columns} from connectors where workspace_id = @workspaceId and id = @id and deleted_at is null";
        return session.SingleOrDefaultAsync<Connector>(sql, new { workspaceId, id }, cancellationToken);
    }

    public Task<IReadOnlyList<Connector>> ListAsync(Guid workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        const string sql = $"""
            select {Columns} from connectors
            where workspace_id = @workspaceId and deleted_at is null and (@after::uuid is null or id < @after)
            order by id desc
            limit @take
            """;
        return session.ListAsync<Connector>(sql, new { workspaceId, after = page.After, take = page.Limit + 1 }, cancellationToken);
    }
}
