using System.Net;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Egress;

public static class EgressApi
{
    /// <summary>POST /v1/webhooks with <paramref name="json"/>: 201, the answer.</summary>
    public static async Task<JsonNode> CreateAsync(this HttpClient client, string json)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.PostJsonAsync("/v1/webhooks", json)).OkAsync(HttpStatusCode.Created);
    }
}
