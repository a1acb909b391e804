using Causeloop.Application.Abstractions;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Portal;

/// <summary>
/// Portal enable/disable changes per webhook. Read and written in the transaction that changes the webhook, after its row
/// is locked (<c>for update</c>), so two changes of one webhook are counted one after the other.
/// </summary>
public sealed class PortalStateChangeStore(DbSession session) : IPortalStateChanges
{
    public Task<IReadOnlyList<DateTime>> SinceAsync(Guid workspaceId, Guid webhookId, DateTime since, CancellationToken cancellationToken)
    {
        const string sql = """
            select changed_at from portal_state_changes
            where workspace_id = @workspaceId and webhook_id = @webhookId and changed_at > @since
            """;
        return session.ListAsync<DateTime>(sql, new { workspaceId, webhookId, since }, cancellationToken);
    }

    public async Task RecordAsync(Guid workspaceId, Guid webhookId, DateTime at, DateTime forgetUpTo, CancellationToken cancellationToken)
    {
        const string sql = """
            delete from portal_state_changes where workspace_id = @workspaceId and webhook_id = @webhookId and changed_at <= @forgetUpTo;
            insert into portal_state_changes (workspace_id, webhook_id, changed_at) values (@workspaceId, @webhookId, @at);
            """;
        await session.ExecuteAsync(sql, new { workspaceId, webhookId, at, forgetUpTo }, cancellationToken);
    }
}
