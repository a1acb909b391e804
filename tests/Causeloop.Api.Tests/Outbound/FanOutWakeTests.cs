using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Deliveries;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>
/// When the fan-out wakes the claimer. A fan-out that leased every delivery it made runs no claim (an empty claim per event
/// was half the worker's statements at 200 events/s); a wake-up that found no events was for a delivery made elsewhere (a
/// redelivery) and does. The poll is 5 minutes, so only a wake-up can explain a claim or an arrival within the test's waits.
/// </summary>
public sealed class FanOutWakeTests : ApiTest
{
    private readonly CountingClaims _claims = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Causeloop:Delivery:PollInterval"] = "00:05:00" };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IClaimStore>(sp => _claims.Around(sp.GetRequiredService<ClaimStore>()));

    [Test]
    public async Task A_fan_out_that_leased_every_delivery_it_made_runs_no_claim_and_a_redelivery_still_wakes_one()
    {
        await using var receiver = await Receiver.StartAsync();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Respond = async (_, _) =>
        {
            await hold.Task;
            return Results.Ok();
        };
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        var before = await QuietClaimsAsync();

        await tenant.PublishAsync();
        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(5)); // leased by the fan-out: no claim could have found it
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.That(_claims.Count, Is.EqualTo(before), "the fan-out leased the event's only delivery, yet a claim ran");

        // Its attempt is answered and recorded: the recorded batch wakes the claimer (a slot is free again).
        hold.SetResult();
        var first = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        await Eventually.HoldsAsync(() => Task.FromResult(_claims.Count > before), "a recorded attempt woke the claimer", TimeSpan.FromSeconds(5));

        // A redelivery makes its delivery without the outbox: the wake-up finds no events and wakes the claimer, which leases it.
        var arrived = receiver.Received.Count;
        await (await tenant.Http.PostAsync($"/v1/webhooks/{webhookId}/deliveries/{first.Id()}/redeliver", null)).OkAsync(HttpStatusCode.Accepted);
        await receiver.WaitForAsync(arrived + 1, TimeSpan.FromSeconds(5));
    }

    /// <summary>The claim count once it has not moved for half a second (the claims at start-up and after a subscription are over).</summary>
    private async Task<int> QuietClaimsAsync()
    {
        var last = -1;
        while (_claims.Count != last)
        {
            last = _claims.Count;
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        return last;
    }
}
