using System.ComponentModel;
using Causeloop.Application.Abstractions;
using Causeloop.Domain.Webhooks;

namespace Causeloop.Application.Webhooks;

/// <summary>
/// A webhook as the API shows it: never with a secret. <see cref="Headers"/> shows the names with masked values, <see cref="Auth"/>
/// the settings without the client secret or private key (SPEC §17).
/// </summary>
public sealed record WebhookDto(
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
    [property: Description("Outbound: the static headers' names, each value answered as \"***\"; null when none.")]
    IReadOnlyDictionary<string, string>? Headers,
    [property: Description("Outbound: how Causeloop authenticates to the endpoint, without its secret; null when it does not.")]
    EndpointAuthDto? Auth,
    [property: Description("Outbound: at most this many deliveries start per second (1–10,000); null: no limit beyond the adaptive concurrency.")]
    int? RateLimit = null)
{
    public static WebhookDto From(Webhook webhook, IInboundUrls inboundUrls)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(inboundUrls);
        return new WebhookDto(
            webhook.Id,
            webhook.Url,
            webhook.ConnectorId,
            webhook.Direction,
            webhook.EventTypes,
            webhook.Enabled,
            webhook.Description,
            webhook.Direction == WebhookDirection.Inbound && webhook.ConnectorId is { } c ? inboundUrls.UrlFor(c) : null,
            webhook.DisabledReason,
            webhook.CreatedAt,
            webhook.UpdatedAt,
            webhook.Filter is { } filter ? System.Text.Json.JsonDocument.Parse(filter).RootElement.Clone() : null,
            EndpointHeaderValues.Masked(webhook.HeaderNames),
            webhook.Auth is { } auth ? StoredEndpointAuth.Parse(auth).ToDto() : null,
            webhook.RateLimit);
    }
}
