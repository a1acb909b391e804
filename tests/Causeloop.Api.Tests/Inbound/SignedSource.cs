using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// A <c>custom</c> connector with its inbound webhook, and the source system that sends to it, signing as the docs say
/// (hex HMAC-SHA256 of the body in <c>x-causeloop-signature</c>). Not to be confused with the service's own
/// <c>Causeloop.Application.Inbound.InboundEndpoint</c>, the verification material it reads for a connector.
/// </summary>
public sealed record SignedSource(Tenant Tenant, string ConnectorId, string WebhookId, string Secret, string InboundUrl)
{
    public static async Task<SignedSource> CreateAsync(ServiceHost host, Tenant? tenant = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        tenant ??= await host.NewTenantAsync();
        var connector = await tenant.Http.CreateConnectorAsync("custom", name: "Jira");
        var webhook = await tenant.Http.CreateInboundAsync(connector.Id());
        return new SignedSource(tenant, connector.Id(), webhook.Id(), webhook.SigningSecret(), webhook["inbound_url"]!.GetValue<string>());
    }

    public static string Sign(string secret, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public Task<HttpResponseMessage> SendAsync(HttpClient client, string json, string? eventId = null, string? secret = null) =>
        SendAsync(client, Encoding.UTF8.GetBytes(json), eventId, secret);

    public async Task<HttpResponseMessage> SendAsync(HttpClient client, byte[] body, string? eventId = null, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{ConnectorId}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-causeloop-signature", Sign(secret ?? Secret, body));
        if (eventId is not null)
        {
            request.Headers.Add("x-causeloop-event-id", eventId);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonNode> AcceptedAsync(HttpResponseMessage response) => await response.OkAsync(HttpStatusCode.Accepted);
}
