namespace Causeloop.Domain.Events;

/// <summary>
/// Where an event came from (SPEC §18), recorded when the event is written, in the same insert — never guessed later:
/// <list type="bullet">
/// <item><see cref="Inbound"/>: a verified inbound request (<see cref="ConnectorId"/>, <see cref="InboundEventId"/>).</item>
/// <item><see cref="Api"/>: <c>POST /v1/events</c>, with the visible prefix of the caller's API key.</item>
/// <item><see cref="Test"/>: a test or example send to one webhook.</item>
/// <item><see cref="Operational"/>: a change of a webhook's health (§11), about <see cref="WebhookId"/>.</item>
/// </list>
/// The fields that do not belong to the kind are null.
/// </summary>
public sealed record EventCause
{
    public const string InboundKind = "inbound";
    public const string ApiKind = "api";
    public const string TestKind = "test";
    public const string OperationalKind = "operational";

    public static IReadOnlyList<string> Kinds { get; } = [InboundKind, ApiKind, TestKind, OperationalKind];

    private EventCause(string kind, Guid? connectorId = null, Guid? inboundEventId = null, string? apiKeyPrefix = null, Guid? webhookId = null)
    {
        Kind = kind;
        ConnectorId = connectorId;
        InboundEventId = inboundEventId;
        ApiKeyPrefix = apiKeyPrefix;
        WebhookId = webhookId;
    }

    public string Kind { get; }

    public Guid? ConnectorId { get; }

    public Guid? InboundEventId { get; }

    public string? ApiKeyPrefix { get; }

    public Guid? WebhookId { get; }

    public static EventCause Inbound(Guid connectorId, Guid inboundEventId) => new(InboundKind, connectorId: connectorId, inboundEventId: inboundEventId);

    /// <param name="apiKeyPrefix">The visible prefix of the API key that published it (never the key).</param>
    public static EventCause Api(string apiKeyPrefix) => new(ApiKind, apiKeyPrefix: apiKeyPrefix);

    public static EventCause Test() => new(TestKind);

    public static EventCause Operational(Guid webhookId) => new(OperationalKind, webhookId: webhookId);

    /// <summary>A cause as stored (a kind and its columns); null when no kind was recorded (an event written before causes were).</summary>
    public static EventCause? Stored(string? kind, Guid? connectorId, Guid? inboundEventId, string? apiKeyPrefix, Guid? webhookId) => kind switch
    {
        InboundKind when connectorId is { } connector && inboundEventId is { } inbound => Inbound(connector, inbound),
        ApiKind when apiKeyPrefix is not null => Api(apiKeyPrefix),
        TestKind => Test(),
        OperationalKind when webhookId is { } webhook => Operational(webhook),
        _ => null,
    };
}
