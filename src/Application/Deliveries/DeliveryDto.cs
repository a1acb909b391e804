namespace Causeloop.Application.Deliveries;

public sealed record DeliveryDto(
    Guid Id,
    Guid WebhookId,
    Guid EventId,
    string EventType,
    string Status,
    int AttemptCount,
    DateTime? NextAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string? OrderingKey = null);
