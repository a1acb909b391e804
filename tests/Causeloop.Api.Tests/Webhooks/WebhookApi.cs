using System.Net;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Webhooks;

/// <summary>Small helpers for the webhooks API, as a client would call it.</summary>
public static class WebhookApi
{
    public static async Task<JsonNode> CreateOutboundAsync(this HttpClient client, string url = "https://example.com/hooks", string eventTypes = "[\"*\"]")
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostJsonAsync("/v1/webhooks", $$"""{"url":"{{url}}","event_types":{{eventTypes}}}""");
        return await response.OkAsync(HttpStatusCode.Created);
    }

    public static string Id(this JsonNode node) => node["id"]!.GetValue<string>();
}
