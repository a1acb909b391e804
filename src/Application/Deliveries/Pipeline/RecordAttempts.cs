using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Events;
using Causeloop.Domain.Deliveries;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// Records finished attempts: each delivery's next state as <see cref="Delivery.RecordAttempt"/> decides it (a
/// deleted webhook's delivery is cancelled), carrying each webhook's failing streak through the batch in the
/// order the attempts started, and what that changes on the webhooks.
/// </summary>
public sealed class RecordAttempts(IDeliveryWorkStore queue, DeliveryOptions options, TimeProvider time)
{
    private readonly RetrySchedule _schedule = options.Schedule();

    /// <summary>The error recorded for an attempt whose answer the database refused to store even once cleaned.</summary>
    public const string UnstorableAnswer = "the endpoint's answer could not be stored";

    /// <summary>
    /// Records the attempts in one transaction. Text from the endpoints is cleaned first (<see cref="StoredText"/>); if the
    /// batch still fails for a reason other than the database being unavailable, it is split in halves until the attempt
    /// that fails is alone, and that one is recorded as a failed attempt saying its answer could not be stored: one
    /// endpoint's answer never costs the other attempts of the batch (other tenants' among them) their record, nor
    /// their endpoints a duplicate.
    /// </summary>
    public async Task<IReadOnlyList<AttemptOutcome>> RecordAsync(IReadOnlyList<FinishedAttempt> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        foreach (var attempt in attempts)
        {
            var outcome = new KeyValuePair<string, object?>("outcome", CauseloopTelemetry.AttemptOutcome(attempt.Record.Result));
            CauseloopTelemetry.DeliveryAttempts.Add(1, outcome);
            CauseloopTelemetry.AttemptDuration.Record(attempt.Record.DurationMs / 1000.0, outcome);
        }

        return await RecordIsolatingAsync([.. attempts.Select(Cleaned)], cancellationToken);
    }

    private async Task<IReadOnlyList<AttemptOutcome>> RecordIsolatingAsync(IReadOnlyList<FinishedAttempt> attempts, CancellationToken cancellationToken)
    {
        try
        {
            return await StoreAsync(attempts, cancellationToken);
        }
        catch (Exception e) when (e is not UnavailableException and not OperationCanceledException)
        {
            if (attempts.Count > 1)
            {
                var half = attempts.Count / 2;
                var first = await RecordIsolatingAsync([.. attempts.Take(half)], cancellationToken);
                var second = await RecordIsolatingAsync([.. attempts.Skip(half)], cancellationToken);
                return [.. first, .. second];
            }

            var only = attempts[0];
            return await StoreAsync(
                [only with { Record = only.Record with { Result = new AttemptResult(null, UnstorableAnswer), ResponseBody = null } }],
                cancellationToken);
        }
    }

    private Task<IReadOnlyList<AttemptOutcome>> StoreAsync(IReadOnlyList<FinishedAttempt> attempts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        IReadOnlyDictionary<Guid, WebhookState> seen = new Dictionary<Guid, WebhookState>();
        return queue.RecordAsync(
            attempts,
            states =>
            {
                seen = states;
                return Decide(attempts, states.ToDictionary(s => s.Key, s => s.Value.FailingSince), now);
            },
            written => Consequences(written, seen, now),
            now.UtcDateTime,
            cancellationToken);
    }

    private static FinishedAttempt Cleaned(FinishedAttempt attempt)
    {
        var record = attempt.Record;
        var error = StoredText.Clean(record.Result.Error, StoredText.MaxError);
        var body = StoredText.Clean(record.ResponseBody, AttemptRecord.ResponseBodyLimit);
        return error == record.Result.Error && body == record.ResponseBody
            ? attempt
            : attempt with { Record = record with { Result = record.Result with { Error = error }, ResponseBody = body } };
    }

    public IReadOnlyList<AttemptOutcome> Decide(IReadOnlyList<FinishedAttempt> attempts, IReadOnlyDictionary<Guid, DateTime?> failingSince, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(failingSince);
        var streaks = failingSince.ToDictionary();
        return attempts.OrderBy(a => a.Record.StartedAt).Select(a =>
        {
            if (!streaks.TryGetValue(a.Delivery.WebhookId, out var since))
            {
                return new AttemptOutcome(a, Delivery.WebhookGone());
            }

            var decision = Delivery.RecordAttempt(
                a.Delivery.Attempt, a.Record.Result, now, _schedule,
                since is { } s ? new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) : null, options.DisableAfter);
            streaks[a.Delivery.WebhookId] = a.Record.Result.IsSuccess ? null : since ?? a.Record.StartedAt;
            return new AttemptOutcome(a, decision);
        }).ToArray();
    }

    /// <summary>
    /// <see cref="Consequences(IReadOnlyList{AttemptOutcome})"/>, plus the operational events: each webhook's attempts,
    /// in the order they started, through <see cref="EndpointAlerts.AfterAttempt"/> from the state read with them.
    /// </summary>
    public WebhookChanges Consequences(IReadOnlyList<AttemptOutcome> written, IReadOnlyDictionary<Guid, WebhookState> states, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(states);
        var changes = Consequences(written);
        var settings = new AlertSettings(options.FailingAlertAfter, options.ExhaustedAlertDebounce);
        var health = new List<(Guid, EndpointHealth)>();
        var alerts = new List<OutboxEvent>();
        foreach (var webhook in written.Where(o => o.Decision.Status != DeliveryStatus.Cancelled).GroupBy(o => o.Attempt.Delivery.WebhookId))
        {
            if (!states.TryGetValue(webhook.Key, out var state))
            {
                continue;
            }

            var current = state.Health;
            var enabled = state.Enabled;
            var since = state.FailingSince;
            foreach (var outcome in webhook.OrderBy(o => o.Attempt.Record.StartedAt))
            {
                var record = outcome.Attempt.Record;
                since = record.Result.IsSuccess ? null : since ?? record.StartedAt;
                var (next, raised) = EndpointAlerts.AfterAttempt(current, record.Result, outcome.Decision, enabled, now, settings);
                current = next;
                foreach (var alert in raised)
                {
                    enabled &= alert.Type != EndpointAlerts.Disabled;
                    alerts.Add(AlertEvent(alert, outcome, state.Url, since, current, now));
                }
            }

            health.Add((webhook.Key, current));
        }

        return changes with { Health = health, Alerts = alerts };
    }

    /// <summary>The operational event of a manual enable or disable (<see cref="EndpointAlerts.AfterManualChange"/>), if any.</summary>
    public static OutboxEvent? ManualChangeEvent(
        Guid workspaceId, Guid webhookId, string? url, bool wasEnabled, bool isEnabled, DateTime? failingSince, int consecutiveFailures, Guid eventId, DateTimeOffset now)
    {
        var alert = EndpointAlerts.AfterManualChange(wasEnabled, isEnabled);
        if (alert is null)
        {
            return null;
        }

        var body = EventEnvelope.Serialize(eventId, alert.Type, now, writer =>
        {
            writer.WriteString("webhook_id", webhookId);
            writer.WriteString("url", url);
            if (alert.Type == EndpointAlerts.Disabled)
            {
                WriteTime(writer, "fail_since", failingSince);
                writer.WriteNumber("consecutive_failures", consecutiveFailures);
                writer.WriteNull("last_attempt");
                writer.WriteString("reason", alert.Reason);
            }
        });
        return new OutboxEvent(eventId, workspaceId, alert.Type, body, now.UtcDateTime, SubjectWebhookId: webhookId);
    }

    private OutboxEvent AlertEvent(EndpointAlert alert, AttemptOutcome outcome, string? url, DateTime? since, EndpointHealth health, DateTimeOffset now)
    {
        var delivery = outcome.Attempt.Delivery;
        var id = Ids.New(time);
        var body = EventEnvelope.Serialize(id, alert.Type, now, writer =>
        {
            writer.WriteString("webhook_id", delivery.WebhookId);
            switch (alert.Type)
            {
                case EndpointAlerts.Failing or EndpointAlerts.Disabled:
                    writer.WriteString("url", url);
                    WriteTime(writer, "fail_since", since);
                    writer.WriteNumber("consecutive_failures", health.ConsecutiveFailures);
                    WriteLastAttempt(writer, outcome);
                    if (alert.Reason is not null)
                    {
                        writer.WriteString("reason", alert.Reason);
                    }

                    break;
                case EndpointAlerts.Exhausted:
                    writer.WriteString("event_id", delivery.EventId);
                    writer.WriteString("delivery_id", delivery.Id);
                    WriteLastAttempt(writer, outcome);
                    break;
                default:
                    writer.WriteString("event_id", delivery.EventId);
                    writer.WriteString("delivery_id", delivery.Id);
                    break;
            }
        });
        return new OutboxEvent(id, delivery.WorkspaceId, alert.Type, body, now.UtcDateTime, SubjectWebhookId: delivery.WebhookId);
    }

    private static void WriteLastAttempt(Utf8JsonWriter writer, AttemptOutcome outcome)
    {
        var record = outcome.Attempt.Record;
        writer.WriteStartObject("last_attempt");
        writer.WriteString("delivery_id", outcome.Attempt.Delivery.Id);
        writer.WriteString("at", DateTime.SpecifyKind(record.StartedAt, DateTimeKind.Utc));
        if (record.Result.StatusCode is { } status)
        {
            writer.WriteNumber("status_code", status);
        }
        else
        {
            writer.WriteNull("status_code");
        }

        writer.WriteString("error", record.Result.Error);
        writer.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTime? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, DateTime.SpecifyKind(time, DateTimeKind.Utc));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>
    /// Per webhook, from the outcomes written: a success that is its latest attempt ends its streak; failures
    /// after it begin one (at the first of them); a decision to disable disables it.
    /// </summary>
    public static WebhookChanges Consequences(IReadOnlyList<AttemptOutcome> written)
    {
        ArgumentNullException.ThrowIfNull(written);
        var live = written.Where(o => o.Decision.Status != DeliveryStatus.Cancelled).ToArray();
        var ended = new List<Guid>();
        var begun = new List<(Guid, DateTime)>();
        foreach (var webhook in live.GroupBy(o => o.Attempt.Delivery.WebhookId))
        {
            var ordered = webhook.OrderBy(o => o.Attempt.Record.StartedAt).ToArray();
            var lastSuccess = Array.FindLastIndex(ordered, o => o.Attempt.Record.Result.IsSuccess);
            if (lastSuccess >= 0)
            {
                ended.Add(webhook.Key);
            }

            if (lastSuccess < ordered.Length - 1)
            {
                begun.Add((webhook.Key, ordered[lastSuccess + 1].Attempt.Record.StartedAt));
            }
        }

        var disabled = live.Where(o => o.Decision.DisableWebhookReason is not null)
            .GroupBy(o => o.Attempt.Delivery.WebhookId)
            .Select(g => (g.Key, g.First().Decision.DisableWebhookReason!))
            .ToArray();
        return new WebhookChanges(ended, begun, disabled);
    }
}
