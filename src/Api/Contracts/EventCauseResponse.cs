using System.Text.Json.Serialization;
using Causeloop.Domain.Events;

namespace Causeloop.Api.Contracts;

/// <summary>
/// Where an event came from: <c>{"kind":"inbound","connector_id","inbound_event_id"}</c>, <c>{"kind":"api","api_key_prefix"}</c>,
/// <c>{"kind":"test"}</c> or <c>{"kind":"operational","webhook_id"}</c>. Fields that do not belong to the kind are left out.
/// </summary>
public sealed record EventCauseResponse(
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ConnectorId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? InboundEventId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiKeyPrefix = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? WebhookId = null)
{
    public static EventCauseResponse? From(EventCause? cause) =>
        cause is null ? null : new(cause.Kind, cause.ConnectorId, cause.InboundEventId, cause.ApiKeyPrefix, cause.WebhookId);
}
