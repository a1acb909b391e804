using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>NOTIFY wakes the worker at once; polling alone is enough without it.</summary>
public sealed class WakeUpTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // Long enough that only NOTIFY can explain a quick delivery.
        ["Causeloop:Delivery:PollInterval"] = "00:00:20",
    };

    [Test]
    public async Task A_published_event_is_delivered_long_before_the_next_poll()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        await Task.Delay(500); // the worker is idle, waiting
        var started = DateTime.UtcNow;
        await tenant.PublishAsync();
        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));
        // Well under the 20 s poll, with room for a loaded machine: without NOTIFY it would take about 20 s.
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(15)));
    }
}
