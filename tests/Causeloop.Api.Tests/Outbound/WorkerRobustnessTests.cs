using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Deliveries;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>No exception of the delivery pipeline, of whatever type, stops the worker or the host (and with it the API).</summary>
public sealed class WorkerRobustnessTests : ApiTest
{
    private static int _failuresLeft = 3;

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IClaimStore>(sp => new FailingClaims(sp.GetRequiredService<ClaimStore>()));
    }

    [Test]
    public async Task Unexpected_exceptions_in_claims_are_survived_the_api_keeps_answering_and_delivery_resumes()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();

        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20));
        using var client = Host.Client();
        Assert.Multiple(async () =>
        {
            Assert.That(Volatile.Read(ref _failuresLeft), Is.LessThanOrEqualTo(0), "the claims did fail first");
            Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Host.Logs.Entries.Any(e => e.Contains("Delivery cycle failed", StringComparison.Ordinal)), Is.True);
        });
    }

    /// <summary>The real store, whose first claims throw an exception type no code path expects.</summary>
    private sealed class FailingClaims(ClaimStore inner) : IClaimStore
    {
        public Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _failuresLeft) >= 0
                ? throw new NotSupportedException("an exception type outside every catch filter")
                : inner.ClaimAsync(request, cancellationToken);

        public Task<IReadOnlyList<Guid>> ExtendAsync(IReadOnlyList<HeldLease> leases, TimeSpan lease, CancellationToken cancellationToken) =>
            inner.ExtendAsync(leases, lease, cancellationToken);
    }
}
