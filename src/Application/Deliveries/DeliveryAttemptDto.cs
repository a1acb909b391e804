namespace Causeloop.Application.Deliveries;

public sealed record DeliveryAttemptDto(
    int Attempt,
    DateTime StartedAt,
    int DurationMs,
    int? StatusCode,
    string? ResponseBody,
    string? Error);
