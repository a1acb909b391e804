namespace Causeloop.Application.Deliveries;

/// <summary>A delivery, its attempts, and the exact bytes it sends.</summary>
public sealed record DeliveryDetailDto(DeliveryDto Delivery, IReadOnlyList<DeliveryAttemptDto> Attempts, byte[]? Body = null);
