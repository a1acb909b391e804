using Causeloop.Api.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>
/// An instance never has more than <c>MaxConcurrency</c> attempts under way, though two stages lease side by side: the
/// fan-out (a fresh event's deliveries) and the claimer (the rest).
/// </summary>
public sealed class InstanceConcurrencyTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:MaxConcurrency"] = "3",
        ["Causeloop:Delivery:PerEndpointConcurrency"] = "8",
        ["Causeloop:Delivery:MaxPerEndpointConcurrency"] = "8",
        ["Causeloop:Delivery:AttemptTimeout"] = "00:01:00",
        ["Causeloop:Delivery:PollInterval"] = "00:00:00.100",
    };

    [Test]
    public async Task The_fan_out_and_the_claimer_together_start_no_more_than_the_instances_slots()
    {
        // The endpoint answers nothing until the test ends: every attempt started stays under way.
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = async (_, _) =>
        {
            await answer.Task;
            return Results.Ok();
        };
        try
        {
            var tenant = await Host.NewTenantAsync();
            await tenant.SubscribeAsync(receiver);
            await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => tenant.PublishAsync()));
            await receiver.WaitForAsync(3);
            await Task.Delay(TimeSpan.FromSeconds(2)); // claims every 100 ms, fan-outs of the later events
            Assert.That(receiver.Received, Has.Count.EqualTo(3), "3 slots, 3 attempts under way");
        }
        finally
        {
            answer.TrySetResult();
        }
    }
}
