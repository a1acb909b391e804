namespace Causeloop.Domain.Webhooks;

/// <summary>
/// An event as the fan-out sees it: its type, the one webhook a test send targets (else null), and the webhook an
/// operational event is about (else null).
/// </summary>
public sealed record OutgoingEvent(Guid Id, Guid WorkspaceId, string Type, Guid? TargetWebhookId, Guid? SubjectWebhookId);
