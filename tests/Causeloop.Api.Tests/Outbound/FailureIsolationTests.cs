using Causeloop.Api.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>One tenant's failing endpoint does not touch another tenant's webhook on the same host.</summary>
public sealed class FailureIsolationTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.200",
        ["Causeloop:Delivery:RetryDelays:1"] = "00:00:00.200",
    };

    [Test]
    public async Task A_failing_webhook_spends_only_its_own_attempts_and_a_healthy_one_on_the_same_host_is_sent_every_time()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (request, _) => Task.FromResult(request.Path.Contains("failing", StringComparison.Ordinal) ? Results.StatusCode(500) : Results.NoContent());
        var failing = await Host.NewTenantAsync();
        var healthy = await Host.NewTenantAsync();
        var (failingId, _) = await failing.SubscribeAsync(receiver, path: "failing");
        var (healthyId, _) = await healthy.SubscribeAsync(receiver, path: "healthy");
        for (var i = 0; i < 25; i++)
        {
            await failing.PublishAsync();
        }

        await Eventually.HoldsAsync(
            async () => await Host.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id and status = 'dead'", new { id = Guid.Parse(failingId) }) == 25,
            "every delivery to the failing endpoint is dead", TimeSpan.FromSeconds(60));
        for (var i = 0; i < 25; i++)
        {
            await healthy.PublishAsync();
        }

        await Eventually.HoldsAsync(
            async () => await Host.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id and status = 'succeeded'", new { id = Guid.Parse(healthyId) }) == 25,
            "every delivery to the healthy endpoint succeeded", TimeSpan.FromSeconds(30));
        var unsent = await Host.ScalarAsync<long>("select count(*) from delivery_attempts where status_code is null");
        Assert.Multiple(async () =>
        {
            Assert.That(unsent, Is.Zero, "every attempt was really sent: nothing was refused on another webhook's account");
            Assert.That(await Host.ScalarAsync<long>("select count(*) from delivery_attempts a join deliveries d on d.id = a.delivery_id where d.webhook_id = @id", new { id = Guid.Parse(healthyId) }),
                Is.EqualTo(25), "one attempt each");
            Assert.That(receiver.Received.Count(r => r.Path.Contains("failing", StringComparison.Ordinal)), Is.EqualTo(75), "3 attempts each, all sent");
        });
    }
}
