using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Application.Events;
using Causeloop.Domain.Deliveries;
using Causeloop.Domain.Events;

namespace Causeloop.Application.Deliveries;

/// <summary>
/// The bodies of the operational events (SPEC §11) that <see cref="WebhookHealth"/> calls for, for the worker (after an
/// attempt) and for a manual change of <c>enabled</c>. Each is about one webhook (its subject: never delivered to it) and
/// holds no secret.
/// </summary>
public static class OperationalEvents
{
    /// <summary>The event for <paramref name="alert"/>, raised by <paramref name="attempt"/>; <paramref name="health"/> is the webhook's health after it.</summary>
    public static OutboxEvent AfterAttempt(EndpointAlert alert, FinishedAttempt attempt, string? url, WebhookHealth health, Guid id, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(health);
        var delivery = attempt.Delivery;
        var body = EventEnvelope.Serialize(id, alert.Type, now, writer =>
        {
            writer.WriteString("webhook_id", delivery.WebhookId);
            switch (alert.Type)
            {
                case EndpointAlerts.Failing or EndpointAlerts.Disabled:
                    WriteStreak(writer, url, health);
                    WriteLastAttempt(writer, attempt);
                    if (alert.Reason is not null)
                    {
                        writer.WriteString("reason", alert.Reason);
                    }

                    break;
                case EndpointAlerts.Exhausted:
                    writer.WriteString("event_id", delivery.EventId);
                    writer.WriteString("delivery_id", delivery.Id);
                    WriteLastAttempt(writer, attempt);
                    break;
                default:
                    writer.WriteString("event_id", delivery.EventId);
                    writer.WriteString("delivery_id", delivery.Id);
                    break;
            }
        });
        return new OutboxEvent(id, delivery.WorkspaceId, alert.Type, body, now.UtcDateTime, SubjectWebhookId: delivery.WebhookId)
        {
            Cause = EventCause.Operational(delivery.WebhookId),
        };
    }

    /// <summary>The event of a manual change of <c>enabled</c> (<see cref="EndpointAlerts.AfterManualChange"/>), if it calls for one.</summary>
    /// <param name="before">The webhook's health before the change.</param>
    public static OutboxEvent? AfterManualChange(Guid workspaceId, Guid webhookId, string? url, WebhookHealth before, bool enabled, Guid id, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(before);
        if (EndpointAlerts.AfterManualChange(before.Enabled, enabled) is not { } alert)
        {
            return null;
        }

        var body = EventEnvelope.Serialize(id, alert.Type, now, writer =>
        {
            writer.WriteString("webhook_id", webhookId);
            if (alert.Type == EndpointAlerts.Disabled)
            {
                WriteStreak(writer, url, before);
                writer.WriteNull("last_attempt");
                writer.WriteString("reason", alert.Reason);
            }
            else
            {
                writer.WriteString("url", url);
            }
        });
        return new OutboxEvent(id, workspaceId, alert.Type, body, now.UtcDateTime, SubjectWebhookId: webhookId) { Cause = EventCause.Operational(webhookId) };
    }

    private static void WriteStreak(Utf8JsonWriter writer, string? url, WebhookHealth health)
    {
        writer.WriteString("url", url);
        if (health.FailingSince is { } since)
        {
            writer.WriteString("fail_since", since.UtcDateTime);
        }
        else
        {
            writer.WriteNull("fail_since");
        }

        writer.WriteNumber("consecutive_failures", health.ConsecutiveFailures);
    }

    private static void WriteLastAttempt(Utf8JsonWriter writer, FinishedAttempt attempt)
    {
        var record = attempt.Record;
        writer.WriteStartObject("last_attempt");
        writer.WriteString("delivery_id", attempt.Delivery.Id);
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
}
