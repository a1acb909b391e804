using Causeloop.Domain.Deliveries;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>A webhook as the recording of its attempts reads it, locked: its health and its URL (for the operational events).</summary>
public sealed record WebhookSnapshot(Guid WorkspaceId, WebhookHealth Health, string? Url);
