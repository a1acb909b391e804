using Causeloop.Application.Webhooks;

namespace Causeloop.Api.Contracts;

/// <summary>The webhook fields plus <c>signing_secret</c>: the answer of create and rotate-secret only.</summary>
public sealed record WebhookWithSecretResponse(
    Guid Id,
    string? Url,
    Guid? ConnectorId,
    string Direction,
    IReadOnlyList<string>? EventTypes,
    bool Enabled,
    string? Description,
    string? InboundUrl,
    string? DisabledReason,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    System.Text.Json.JsonElement? Filter,
    IReadOnlyDictionary<string, string>? Headers,
    EndpointAuthDto? Auth,
    int? RateLimit,
    string SigningSecret)
{
    public static WebhookWithSecretResponse From(WebhookWithSecretDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var w = dto.Webhook;
        return new(w.Id, w.Url, w.ConnectorId, w.Direction, w.EventTypes, w.Enabled, w.Description, w.InboundUrl,
            w.DisabledReason, w.CreatedAt, w.UpdatedAt, w.Filter, w.Headers, w.Auth, w.RateLimit, dto.SigningSecret);
    }
}
