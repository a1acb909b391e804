namespace Causeloop.Application.Deliveries;

public sealed record DeliveryDetailDto(DeliveryDto Delivery, IReadOnlyList<DeliveryAttemptDto> Attempts);
