using System.Net;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Webhooks;

/// <summary>Small helpers for the webhooks API, as a client would call it.</summary>
public static class WebhookApi
{
    /// <summary>An outbound webhook to <paramref name="url"/> for <paramref name="eventTypes"/> (a JSON array); the 201 body, secret included.</summary>
    public static async Task<JsonNode> CreateOutboundAsync(this HttpClient client, string url = "https://example.com/hooks", string eventTypes = "[\"*\"]", bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        var json = enabled
            ? $$"""{"url":"{{url}}","event_types":{{eventTypes}}}"""
            : $$"""{"url":"{{url}}","event_types":{{eventTypes}},"enabled":false}""";
        var response = await client.PostJsonAsync("/v1/webhooks", json);
        return await response.OkAsync(HttpStatusCode.Created);
    }

    public static string Id(this JsonNode node) => node["id"]!.GetValue<string>();

    /// <summary>The secret a webhook's create (or rotate) answer shows, once.</summary>
    public static string SigningSecret(this JsonNode webhook) => webhook["signing_secret"]!.GetValue<string>();
}
