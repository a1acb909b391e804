using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>With AllowPrivateNetworks=false (the default outside Development) internal addresses are refused at connect time.</summary>
public sealed class SsrfGuardTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Outbound:AllowPrivateNetworks"] = "false",
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.100",
    };

    [TestCase("http://127.0.0.1:{0}/hooks")]
    [TestCase("http://localhost:{0}/hooks")]
    [TestCase("http://[::ffff:127.0.0.1]:{0}/hooks")]
    [TestCase("http://[::1]:{0}/hooks")]
    public async Task Deliveries_to_internal_addresses_are_refused_and_never_sent(string template)
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, receiver.Url.Port);
        var webhook = await Webhooks.WebhookApi.CreateOutboundAsync(tenant.Http, url);
        var webhookId = Webhooks.WebhookApi.Id(webhook);
        await tenant.PublishAsync();

        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "dead");
        var attempts = delivery["attempts"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(attempts, Has.Count.EqualTo(2));
            // The tenant learns that the address is refused, and nothing of the internal network behind it.
            Assert.That(attempts.Select(a => a!["error"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { "refused: the address is not public" }), attempts.ToJsonString());
            Assert.That(attempts.All(a => a!["status_code"] is null), Is.True);
            Assert.That(receiver.Received, Is.Empty);
        });
    }
}
