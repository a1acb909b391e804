using Causeloop.Application.Deliveries;

namespace Causeloop.Api.Contracts;

public sealed record DeliveryDetailResponse(
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
    string? OrderingKey,
    IReadOnlyList<DeliveryAttemptDto> Attempts)
{
    public static DeliveryDetailResponse From(DeliveryDetailDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var d = dto.Delivery;
        return new(d.Id, d.WebhookId, d.EventId, d.EventType, d.Status, d.AttemptCount, d.NextAttemptAt, d.LastStatusCode,
            d.LastError, d.CreatedAt, d.UpdatedAt, d.OrderingKey, dto.Attempts);
    }
}
