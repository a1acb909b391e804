using System.ComponentModel;

namespace Causeloop.Api.Contracts;

/// <summary>
/// Outbound: <c>url</c> and <c>event_types</c>, and optionally <c>headers</c>, <c>auth</c>, <c>rate_limit</c> and <c>filter</c> (a payload
/// filter: object, or null for none); inbound: <c>connector_id</c> and optionally <c>signing_secret</c> (a secret the
/// provider generated). Both: <c>description?</c>, <c>enabled?</c>.
/// No field is required of both shapes, so none is marked required in the document (the validator says which
/// shape needs what).
/// </summary>
public sealed record CreateWebhookRequest(
    string? Url = null,
    List<string>? EventTypes = null,
    Guid? ConnectorId = null,
    string? Description = null,
    bool? Enabled = null,
    string? SigningSecret = null,
    System.Text.Json.JsonElement? Filter = null,
    [property: Description("Outbound only: up to 20 static headers sent on every attempt, name → value. Not allowed: the headers Causeloop sets (content-*, user-agent, x-causeloop-*, webhook-*, the trace context, and authorization when `auth` is set), hop-by-hop headers and host. Values are stored encrypted and answered as \"***\".")]
    Dictionary<string, string?>? Headers = null,
    [property: Description("Outbound only: how Causeloop authenticates to the endpoint, or null.")]
    EndpointAuthRequest? Auth = null,
    [property: Description("Outbound only: at most this many deliveries start per second (1–10,000; a burst is at most one second's worth), or null for no limit beyond the adaptive concurrency.")]
    long? RateLimit = null);

/// <summary>
/// <c>POST /v1/webhooks/{id}/rotate-secret</c>'s optional body: an inbound webhook may take the secret its provider
/// generated instead of a new Causeloop one.
/// </summary>
public sealed record RotateSecretRequest(string? SigningSecret = null);
