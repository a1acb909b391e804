using System.Net;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Platform;

/// <summary>Secrets stored under another key (the secrets key was changed): a 503 problem inbound, a recorded failed attempt outbound.</summary>
public sealed class SecretsKeyChangedTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.200",
    };

    // A secret as another key would have stored it: the right format, a tag this key cannot verify.
    private static readonly byte[] ForeignSecret = [1, .. new byte[12], .. "whsec_other"u8.ToArray(), .. new byte[16]];

    [Test]
    public async Task Inbound_answers_503_with_a_problem_not_500_and_stores_nothing()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        await Host.ExecuteAsync("update webhooks set secret = @secret where id = @id", new { secret = ForeignSecret, id = Guid.Parse(endpoint.WebhookId) });
        Host.Services.GetRequiredService<Application.Abstractions.IInboundEndpoints>().Invalidate();
        using var source = Host.Client();

        var response = await endpoint.SendAsync(source, "{}");
        var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Multiple(async () =>
        {
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("secrets key"));
            Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @c", new { c = Guid.Parse(endpoint.ConnectorId) }), Is.Zero);
        });
    }

    [Test]
    public async Task A_delivery_whose_secret_cannot_be_read_is_recorded_as_failed_and_ends_dead_not_re_leased_forever()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await Host.ExecuteAsync("update webhooks set secret = @secret where id = @id", new { secret = ForeignSecret, id = Guid.Parse(webhookId) });
        await tenant.PublishAsync();

        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "dead", TimeSpan.FromSeconds(30));
        var attempts = delivery["attempts"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(attempts, Has.Count.EqualTo(2), "one attempt and its one retry, each recorded");
            Assert.That(attempts.All(a => a!["error"]!.GetValue<string>().Contains("signing secret cannot be read", StringComparison.Ordinal)), Is.True, attempts.ToJsonString());
            Assert.That(receiver.Received, Is.Empty, "nothing unsigned is ever sent");
        });
    }
}
