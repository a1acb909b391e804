namespace Causeloop.Api.Contracts;

/// <summary>Outbound: <c>url</c>, <c>event_types</c>; inbound: <c>connector_id</c>. Both: <c>description?</c>, <c>enabled?</c>.</summary>
public sealed record CreateWebhookRequest(string? Url, List<string>? EventTypes, Guid? ConnectorId, string? Description, bool? Enabled);
