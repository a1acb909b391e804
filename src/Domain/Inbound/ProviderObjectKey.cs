namespace Causeloop.Domain.Inbound;

/// <summary>
/// The ordering key an inbound event's <c>issue.ingested</c> takes (SPEC §15): the provider's object, so one object's events
/// reach receivers in the order they were accepted — Stripe's <c>data.object.id</c>, GitHub's repository full name,
/// Shopify's <c>X-Shopify-Resource-Id</c> when present; none for the other kinds, or when the request has none.
/// </summary>
public static class ProviderObjectKey
{
    public static string? Of(string kind, ReadOnlyMemory<byte> body, InboundHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var key = kind switch
        {
            ConnectorKind.Stripe => Mac.JsonValue(body, "data", "object", "id"),
            ConnectorKind.GitHub => Mac.JsonValue(body, "repository", "full_name"),
            ConnectorKind.Shopify => headers.Values("X-Shopify-Resource-Id") is [var id, ..] ? id.Trim() : null,
            _ => null,
        };
        return Deliveries.OrderingKey.IsValid(key) ? key : null;
    }
}
