using Causeloop.Application.Deliveries.Pipeline;
using Npgsql;
using NpgsqlTypes;

namespace Causeloop.Infrastructure.Deliveries;

/// <summary>The statements of a recording's write step, each batched over the whole batch of attempts.</summary>
public static class AttemptWrites
{
    private const string InsertAttemptsSql = """
        insert into delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, status_code, response_body, error)
        select * from unnest(@deliveryIds, @attempts, @workspaces, @startedAt, @durations, @statusCodes, @bodies, @errors)
        on conflict (delivery_id, attempt) do nothing
        """;

    private const string UpdateDeliveriesSql = """
        update deliveries d
        set status = t.status, next_attempt_at = t.next_attempt_at, locked_until = null, lease_token = null,
            last_status_code = t.status_code, last_error = t.error, updated_at = @now
        from unnest(@ids, @workspaces, @tokens, @statuses, @next, @statusCodes, @errors)
             as t(id, workspace_id, lease_token, status, next_attempt_at, status_code, error)
        where d.id = t.id and d.workspace_id = t.workspace_id and d.lease_token = t.lease_token
        """;

    private const string UpdateWebhooksSql = """
        update webhooks w
        set failing_since = t.failing_since, consecutive_failures = t.failures, failing_alerted = t.alerted,
            exhausted_alerted_at = t.exhausted_at, recovery_owed = t.owed, enabled = t.enabled,
            disabled_reason = coalesce(t.disabled_reason, w.disabled_reason),
            updated_at = case when t.disabled_reason is null then w.updated_at else @now end
        from unnest(@ids, @workspaces, @failingSince, @failures, @alerted, @exhaustedAt, @owed, @enabled, @reasons)
             as t(id, workspace_id, failing_since, failures, alerted, exhausted_at, owed, enabled, disabled_reason)
        where w.id = t.id and w.workspace_id = t.workspace_id
        """;

    /// <summary>Every attempt, whether or not its lease was still held: it happened.</summary>
    public static NpgsqlBatchCommand InsertAttempts(IReadOnlyList<FinishedAttempt> attempts)
    {
        var command = new NpgsqlBatchCommand(InsertAttemptsSql);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("deliveryIds", [.. attempts.Select(a => a.Delivery.Id)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("attempts", [.. attempts.Select(a => a.Delivery.Attempt)]));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", [.. attempts.Select(a => a.Delivery.WorkspaceId)]));
        command.Parameters.Add(Array("startedAt", NpgsqlDbType.TimestampTz, attempts.Select(a => (object?)a.Record.StartedAt)));
        command.Parameters.Add(new NpgsqlParameter<int[]>("durations", [.. attempts.Select(a => a.Record.DurationMs)]));
        command.Parameters.Add(Array("statusCodes", NpgsqlDbType.Integer, attempts.Select(a => (object?)a.Record.Result.StatusCode)));
        command.Parameters.Add(Array("bodies", NpgsqlDbType.Text, attempts.Select(a => (object?)a.Record.ResponseBody)));
        command.Parameters.Add(Array("errors", NpgsqlDbType.Text, attempts.Select(a => (object?)a.Record.Result.Error)));
        return command;
    }

    /// <summary>Each delivery's next state, only where the attempt still holds its lease.</summary>
    public static NpgsqlBatchCommand UpdateDeliveries(IReadOnlyList<AttemptOutcome> outcomes, DateTime now)
    {
        var command = new NpgsqlBatchCommand(UpdateDeliveriesSql);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. outcomes.Select(o => o.Attempt.Delivery.Id)]));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", [.. outcomes.Select(o => o.Attempt.Delivery.WorkspaceId)]));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("tokens", [.. outcomes.Select(o => o.Attempt.Delivery.LeaseToken)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("statuses", [.. outcomes.Select(o => o.Decision.Status)]));
        command.Parameters.Add(Array("next", NpgsqlDbType.TimestampTz, outcomes.Select(o => (object?)o.Decision.NextAttemptAt?.UtcDateTime)));
        command.Parameters.Add(Array("statusCodes", NpgsqlDbType.Integer, outcomes.Select(o => (object?)o.Attempt.Record.Result.StatusCode)));
        command.Parameters.Add(Array("errors", NpgsqlDbType.Text, outcomes.Select(o => (object?)o.Attempt.Record.Result.Error)));
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        return command;
    }

    /// <summary>Each webhook's health as the batch left it, and the reason when the batch disabled it.</summary>
    public static NpgsqlBatchCommand UpdateWebhooks(IReadOnlyList<WebhookHealthChange> changes, DateTime now)
    {
        var command = new NpgsqlBatchCommand(UpdateWebhooksSql);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", [.. changes.Select(c => c.WebhookId)]));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("workspaces", [.. changes.Select(c => c.WorkspaceId)]));
        command.Parameters.Add(Array("failingSince", NpgsqlDbType.TimestampTz, changes.Select(c => (object?)c.Health.FailingSince?.UtcDateTime)));
        command.Parameters.Add(new NpgsqlParameter<int[]>("failures", [.. changes.Select(c => c.Health.ConsecutiveFailures)]));
        command.Parameters.Add(new NpgsqlParameter<bool[]>("alerted", [.. changes.Select(c => c.Health.FailingAlerted)]));
        command.Parameters.Add(Array("exhaustedAt", NpgsqlDbType.TimestampTz, changes.Select(c => (object?)c.Health.ExhaustedAlertedAt?.UtcDateTime)));
        command.Parameters.Add(new NpgsqlParameter<bool[]>("owed", [.. changes.Select(c => c.Health.RecoveryOwed)]));
        command.Parameters.Add(new NpgsqlParameter<bool[]>("enabled", [.. changes.Select(c => c.Health.Enabled)]));
        command.Parameters.Add(Array("reasons", NpgsqlDbType.Text, changes.Select(c => (object?)c.DisabledReason)));
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        return command;
    }

    private static NpgsqlParameter Array(string name, NpgsqlDbType type, IEnumerable<object?> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.Select(v => v ?? DBNull.Value).ToArray() };
}
