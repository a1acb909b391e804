using System.Net;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Outbound;

public static class OutboundApi
{
    public static async Task<(string Id, string Secret)> SubscribeAsync(this Tenant tenant, Receiver receiver, string eventTypes = "[\"*\"]", string path = "")
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(receiver);
        var created = await tenant.Http.CreateOutboundAsync(receiver.Url + path, eventTypes);
        return (created.Id(), created.SigningSecret());
    }

    public static async Task<string> PublishAsync(this Tenant tenant, string type = "sync.completed", string data = """{"sync":"42"}""")
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var published = await (await tenant.Http.PostJsonAsync("/v1/events", $$"""{"type":"{{type}}","data":{{data}}}""")).OkAsync(HttpStatusCode.Accepted);
        return published.Id();
    }

    public static async Task<JsonArray> DeliveriesAsync(this Tenant tenant, string webhookId, string query = "")
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return (await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}/deliveries{query}")).OkAsync())["data"]!.AsArray();
    }

    public static async Task<JsonNode> DeliveryAsync(this Tenant tenant, string webhookId, string deliveryId)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}/deliveries/{deliveryId}")).OkAsync();
    }

    /// <summary>Waits until the webhook's only delivery reaches <paramref name="status"/>; returns it with its attempts.</summary>
    public static async Task<JsonNode> WaitForDeliveryAsync(this Tenant tenant, string webhookId, string status, TimeSpan? timeout = null)
    {
        JsonNode? found = null;
        await Eventually.HoldsAsync(async () =>
        {
            var deliveries = await tenant.DeliveriesAsync(webhookId);
            found = deliveries.FirstOrDefault(d => d!["status"]!.GetValue<string>() == status);
            return found is not null;
        }, $"a delivery of {webhookId} is {status}", timeout);
        return await tenant.DeliveryAsync(webhookId, found!.Id());
    }

    /// <summary>
    /// Waits until the worker has fanned the event out: from then on its deliveries exist or never will, so
    /// "nothing was sent to X" can be asserted on the deliveries, without sleeping and hoping.
    /// </summary>
    public static Task WaitForFanOutAsync(this ServiceHost host, string eventId) =>
        Eventually.HoldsAsync(
            async () => await host.ScalarAsync<long>("select count(*) from outbox where event_id = @id", new { id = Guid.Parse(eventId) }) == 0,
            $"event {eventId} was fanned out");

    /// <summary>How many deliveries the webhook has, whatever their state.</summary>
    public static Task<long> DeliveryCountAsync(this ServiceHost host, string webhookId) =>
        host.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id", new { id = Guid.Parse(webhookId) });
}
