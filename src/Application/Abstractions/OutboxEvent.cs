using Causeloop.Domain.Events;

namespace Causeloop.Application.Abstractions;

/// <summary>
/// An event on its way out. <see cref="Body"/> is the envelope <c>{"id","type","created_at","data"}</c>,
/// serialised once so that every attempt sends the same bytes. <see cref="SubjectWebhookId"/>: the webhook an
/// operational event is about (never delivered to it). <see cref="OrderingKey"/>: its deliveries to each webhook go one at
/// a time, in the order the events of the key were accepted (§15). <see cref="Cause"/>: where it came from (§18), written
/// in the same insert as the event.
/// </summary>
public sealed record OutboxEvent(
    Guid Id,
    Guid WorkspaceId,
    string Type,
    byte[] Body,
    DateTime CreatedAt,
    string? IdempotencyKey = null,
    Guid? TargetWebhookId = null,
    Guid? SubjectWebhookId = null,
    string? OrderingKey = null)
{
    /// <summary>Where the event came from; every writer says it (the lineage of <c>GET /v1/events/{id}</c>).</summary>
    public required EventCause Cause { get; init; }

    /// <summary>
    /// The W3C trace context of the request that caused the event (captured where the event is created), so that each
    /// delivery attempt's span can link to it.
    /// </summary>
    public string? TraceParent { get; init; } = System.Diagnostics.Activity.Current?.Id;
}
