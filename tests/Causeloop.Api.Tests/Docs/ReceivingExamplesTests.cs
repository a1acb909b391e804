using System.Net;
using System.Text;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Examples;
using Microsoft.AspNetCore.Http;

namespace Causeloop.Api.Tests.Docs;

/// <summary>Runs every receiver of docs/receiving.md against real deliveries from the service.</summary>
public sealed class ReceivingExamplesTests : ApiTest
{
    [TestCase("python3", "docs/examples/receive.py")]
    [TestCase("node", "docs/examples/receive.js")]
    [TestCase("node", "docs/examples/receive_standardwebhooks.js")]
    public async Task The_receiver_example_verifies_real_deliveries_and_rejects_forgeries(string program, string script)
    {
        var tenant = await Host.NewTenantAsync();
        var created = await tenant.Http.CreateOutboundAsync("http://127.0.0.1:9/webhooks");
        var webhookId = created.Id();
        var (receiver, port) = await ExampleProcess.StartOnFreePortAsync(program, script, new Dictionary<string, string?>
        {
            ["CAUSELOOP_SIGNING_SECRET"] = created["signing_secret"]!.GetValue<string>(),
        }, port => PointAtAsync(tenant, webhookId, port));
        await using var _ = receiver;

        var eventId = await tenant.PublishAsync("pattern.detected", """{"pattern":"checkout 500s","count":7}""");
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        Assert.That(delivery["attempts"]![0]!["status_code"]!.GetValue<int>(), Is.EqualTo(204));
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Lines.Any(l => l.StartsWith($"verified {eventId}", StringComparison.Ordinal))), "the receiver logged the verification");

        // A forged request (right shape, wrong secret) is refused by the example.
        using var forger = new HttpClient();
        using var forged = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/webhooks") { Content = new StringContent("""{"id":"x","type":"sync.completed","data":{}}""", Encoding.UTF8, "application/json") };
        forged.Headers.Add("x-causeloop-signature", new string('a', 64));
        forged.Headers.Add("webhook-id", "msg_forged");
        forged.Headers.Add("webhook-timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        forged.Headers.Add("webhook-signature", "v1," + Convert.ToBase64String(new byte[32]));
        Assert.That((await forger.SendAsync(forged)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task The_standard_webhooks_receiver_keeps_verifying_with_the_old_secret_during_rotation()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await tenant.Http.CreateOutboundAsync("http://127.0.0.1:9/webhooks");
        var (receiver, _) = await ExampleProcess.StartOnFreePortAsync("node", "docs/examples/receive_standardwebhooks.js", new Dictionary<string, string?>
        {
            ["CAUSELOOP_SIGNING_SECRET"] = created["signing_secret"]!.GetValue<string>(),
        }, port => PointAtAsync(tenant, created.Id(), port));
        await using var _ = receiver;
        await (await tenant.Http.PostAsync($"/v1/webhooks/{created.Id()}/rotate-secret", null)).OkAsync();
        await tenant.PublishAsync();
        await tenant.WaitForDeliveryAsync(created.Id(), "succeeded");
    }

    [Test]
    public async Task The_csharp_example_verifies_real_deliveries_both_ways_and_catches_tampering()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var (webhookId, secret) = await tenant.SubscribeAsync(receiver);
        receiver.Respond = (request, _) =>
        {
            var ok = VerifyDelivery.VerifyCauseloop(secret, request.Body, request.Header("x-causeloop-signature"))
                && VerifyDelivery.VerifyStandardWebhook(secret, request.Body, request.Header("webhook-id"), request.Header("webhook-timestamp"),
                    request.Header("webhook-signature"), DateTimeOffset.UtcNow);
            return Task.FromResult(ok ? Results.NoContent() : Results.StatusCode(401));
        };
        await tenant.PublishAsync();
        await tenant.WaitForDeliveryAsync(webhookId, "succeeded");

        var delivered = receiver.Received[0];
        var tampered = delivered.Body.ToArray();
        tampered[^2] ^= 1;
        Assert.Multiple(() =>
        {
            Assert.That(VerifyDelivery.VerifyCauseloop(secret, tampered, delivered.Header("x-causeloop-signature")), Is.False);
            Assert.That(VerifyDelivery.VerifyStandardWebhook(secret, tampered, delivered.Header("webhook-id"), delivered.Header("webhook-timestamp"), delivered.Header("webhook-signature"), DateTimeOffset.UtcNow), Is.False);
            Assert.That(VerifyDelivery.VerifyStandardWebhook(secret, delivered.Body, delivered.Header("webhook-id"), delivered.Header("webhook-timestamp"), delivered.Header("webhook-signature"), DateTimeOffset.UtcNow.AddMinutes(10)), Is.False, "an old delivery replayed");
        });
    }

    private static async Task PointAtAsync(Tenant tenant, string webhookId, int port) =>
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", $$"""{"url":"http://127.0.0.1:{{port}}/webhooks"}""")).OkAsync();
}
