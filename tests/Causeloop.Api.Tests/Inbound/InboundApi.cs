using System.Net;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>Small helpers for connectors and their inbound webhooks, as a client would call the API.</summary>
public static class InboundApi
{
    /// <summary>A connector of <paramref name="kind"/> (named after it unless <paramref name="name"/> is given); the 201 body.</summary>
    public static async Task<JsonNode> CreateConnectorAsync(this HttpClient client, string kind = "custom", string? name = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var body = new JsonObject { ["name"] = name ?? kind, ["kind"] = kind };
        return await (await client.PostJsonAsync("/v1/connectors", body.ToJsonString())).OkAsync(HttpStatusCode.Created);
    }

    /// <summary>
    /// The connector's inbound webhook, with a generated secret or <paramref name="signingSecret"/> imported; the 201 body,
    /// which carries the secret (<see cref="WebhookApi.SigningSecret"/>) and the inbound URL.
    /// </summary>
    public static async Task<JsonNode> CreateInboundAsync(this HttpClient client, string connectorId, string? signingSecret = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var body = new JsonObject { ["connector_id"] = connectorId };
        if (signingSecret is not null)
        {
            body["signing_secret"] = signingSecret;
        }

        return await (await client.PostJsonAsync("/v1/webhooks", body.ToJsonString())).OkAsync(HttpStatusCode.Created);
    }

    /// <summary>A connector of <paramref name="kind"/> and its inbound webhook (see <see cref="CreateInboundAsync"/>).</summary>
    public static async Task<(string ConnectorId, JsonNode Webhook)> CreateInboundConnectorAsync(this HttpClient client, string kind, string? signingSecret = null)
    {
        var connector = await client.CreateConnectorAsync(kind);
        return (connector.Id(), await client.CreateInboundAsync(connector.Id(), signingSecret));
    }
}
