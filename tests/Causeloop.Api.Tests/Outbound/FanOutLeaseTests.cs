using System.Net;
using System.Text.Json;
using Causeloop.Api.Tests.Support;
using Causeloop.Application.Deliveries.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>
/// The fan-out leases the deliveries it makes in its own transaction, by the claim's rules: a fresh event's first attempt
/// needs no claim, yet the endpoint's limit and an ordering key hold. Claims lease nothing here, so whatever arrives was
/// leased by the fan-out.
/// </summary>
public sealed class FanOutLeaseTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:PerEndpointConcurrency"] = "2",
        ["Causeloop:Delivery:MaxPerEndpointConcurrency"] = "2",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IClaimStore, NoClaims>();

    [Test]
    public async Task A_fresh_events_first_attempt_is_leased_by_the_fan_out_within_the_endpoints_limit()
    {
        await using var receiver = await Receiver.StartAsync();
        var underWay = 0;
        var most = 0;
        receiver.Respond = async (_, _) =>
        {
            var now = Interlocked.Increment(ref underWay);
            InterlockedMax(ref most, now);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Interlocked.Decrement(ref underWay);
            return Results.Ok();
        };
        var tenant = await Host.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => tenant.PublishAsync()));

        await receiver.WaitForAsync(2, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(2)); // the rest wait for a claim, which never comes here
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Received, Has.Count.EqualTo(2), "the endpoint's limit (2) held: the others wait for a claim");
            Assert.That(Volatile.Read(ref most), Is.LessThanOrEqualTo(2));
            Assert.That(receiver.Received.Select(r => r.Header("x-causeloop-attempt")), Is.All.EqualTo("1"));
        });
    }

    [Test]
    public async Task Of_one_ordering_keys_events_the_fan_out_leases_only_the_first()
    {
        // The first event's attempt is still under way when the second is fanned out.
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = async (_, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            return Results.Ok();
        };
        var tenant = await Host.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        var first = await PublishKeyedAsync(tenant, 1);
        await PublishKeyedAsync(tenant, 2);

        var arrived = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Received, Has.Count.EqualTo(1), "the key's second event waits for the first to finish, and then for a claim (none here)");
            Assert.That(arrived[0].Header("x-causeloop-event-id"), Is.EqualTo(first));
        });
    }

    private static async Task<string> PublishKeyedAsync(Tenant tenant, int n)
    {
        var receipt = await (await tenant.Http.PostJsonAsync("/v1/events", JsonSerializer.Serialize(new { type = "sync.completed", data = new { n }, ordering_key = "order-7" })))
            .OkAsync(HttpStatusCode.Accepted);
        return receipt["id"]!.GetValue<string>();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>A claim store that leases nothing (and keeps nothing alive: the leases here outlast the test).</summary>
    private sealed class NoClaims : IClaimStore
    {
        public Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ClaimedDelivery>>([]);

        public Task<IReadOnlyList<Guid>> ExtendAsync(IReadOnlyList<HeldLease> leases, TimeSpan lease, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Guid>>([.. leases.Select(l => l.DeliveryId)]);
    }
}
