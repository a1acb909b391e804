using Causeloop.Api.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Causeloop.Api.Tests.Outbound;

public sealed class CircuitBreakerTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.200",
        ["Causeloop:Delivery:RetryDelays:1"] = "00:00:00.200",
    };

    [Test]
    public async Task An_open_circuit_counts_as_a_failed_attempt_and_is_rescheduled_without_sending()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(Results.StatusCode(500));
        var tenant = await Host.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        for (var i = 0; i < 25; i++)
        {
            await tenant.PublishAsync();
        }

        await Eventually.HoldsAsync(
            async () => await Host.ScalarAsync<long>("select count(*) from deliveries where status = 'dead'") == 25,
            "every delivery is dead", TimeSpan.FromSeconds(30));
        var open = await Host.ScalarAsync<long>("select count(*) from delivery_attempts where error like 'circuit open%'");
        var attempts = await Host.ScalarAsync<long>("select count(*) from delivery_attempts");
        Assert.Multiple(() =>
        {
            Assert.That(attempts, Is.EqualTo(75), "3 attempts each, all recorded");
            Assert.That(open, Is.GreaterThan(0));
            Assert.That(receiver.Received, Has.Count.EqualTo(attempts - open), "an open circuit sends nothing");
        });
    }
}
