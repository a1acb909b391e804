using Causeloop.Application.Abstractions;
using Causeloop.Application.Webhooks;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Webhooks;

public sealed class WebhookRepository(DbSession session) : IWebhookRepository
{
    public async Task<bool> InsertAsync(Webhook webhook, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into webhooks (id, workspace_id, direction, url, connector_id, event_types, enabled, description,
                                  disabled_reason, secret, created_at, updated_at, filter, rate_limit, header_names, headers, auth, auth_secret)
            values (@Id, @WorkspaceId, @Direction, @Url, @ConnectorId, @EventTypes, @Enabled, @Description,
                    @DisabledReason, @Secret, @CreatedAt, @UpdatedAt, @Filter, @RateLimit, @HeaderNames, @Headers, @Auth::jsonb, @AuthSecret)
            on conflict (connector_id) where connector_id is not null do nothing
            """;
        return await session.ExecuteAsync(sql, webhook, cancellationToken) == 1;
    }

    public Task<Webhook?> GetForUpdateAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken)
    {
        const string sql = """
            select id, workspace_id, direction, url, connector_id, event_types, enabled, description, disabled_reason,
                   secret, previous_secret, previous_secret_expires_at, created_at, updated_at, failing_since, consecutive_failures,
                   failing_alerted, exhausted_alerted_at, recovery_owed, filter, rate_limit, header_names, headers, auth::text as auth, auth_secret
            from webhooks
            where workspace_id = @workspaceId and id = @id
            for update
            """;
        return session.SingleOrDefaultAsync<Webhook>(sql, new { workspaceId, id }, cancellationToken);
    }

    public async Task UpdateAsync(Webhook webhook, CancellationToken cancellationToken)
    {
        const string sql = """
            update webhooks
            set url = @Url, event_types = @EventTypes, enabled = @Enabled, description = @Description, filter = @Filter, rate_limit = @RateLimit,
                disabled_reason = @DisabledReason, secret = @Secret, previous_secret = @PreviousSecret,
                previous_secret_expires_at = @PreviousSecretExpiresAt, updated_at = @UpdatedAt,
                failing_since = @FailingSince, consecutive_failures = @ConsecutiveFailures, failing_alerted = @FailingAlerted,
                header_names = @HeaderNames, headers = @Headers, auth = @Auth::jsonb, auth_secret = @AuthSecret
            where workspace_id = @WorkspaceId and id = @Id
            """;
        await session.ExecuteAsync(sql, webhook, cancellationToken);
    }

    public async Task<bool> DeleteAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken)
    {
        const string sql = "delete from webhooks where workspace_id = @workspaceId and id = @id";
        return await session.ExecuteAsync(sql, new { workspaceId, id }, cancellationToken) == 1;
    }
}
