using System.Text.Json;
using Causeloop.Application.Events;

namespace Causeloop.Api.Contracts;

/// <summary>
/// <c>GET /v1/events/{id}</c>: the envelope every delivery sends (<c>id, type, created_at, data</c>), where the event came from
/// (<c>cause</c>; null for an event written before causes were recorded) and its deliveries, oldest first.
/// </summary>
public sealed record EventDetailResponse(
    Guid Id, string Type, DateTime CreatedAt, JsonElement Data, EventCauseResponse? Cause, IReadOnlyList<EventDeliveryDto> Deliveries)
{
    public static EventDetailResponse From(EventDetailDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        using var envelope = JsonDocument.Parse(dto.Body);
        return new(dto.Id, dto.Type, dto.CreatedAt, envelope.RootElement.GetProperty("data").Clone(), EventCauseResponse.From(dto.Cause), dto.Deliveries);
    }
}
