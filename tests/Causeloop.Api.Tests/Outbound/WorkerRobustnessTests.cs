using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Deliveries;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>No exception of the delivery pipeline, of whatever type, stops the worker or the host (and with it the API).</summary>
public sealed class WorkerRobustnessTests : ApiTest
{
    private static int _failuresLeft = 3;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.200",
        ["Causeloop:Delivery:PollInterval"] = "00:00:00.200",
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IClaimStore>(sp => new FailingClaims(sp.GetRequiredService<ClaimStore>()));
    }

    [Test]
    public async Task Unexpected_exceptions_in_claims_are_survived_the_api_keeps_answering_and_delivery_resumes()
    {
        // The claims fail first (the claimer runs at start-up and at every poll).
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref _failuresLeft) <= 0), "the first claims have failed");

        // A first attempt is leased by the fan-out; its retry only a claim can lease, so it arrives only if the claimer lives on.
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, n) => Task.FromResult(n == 0 ? Results.StatusCode(500) : Results.Ok());
        var tenant = await Host.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();

        var requests = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(20));
        using var client = Host.Client();
        Assert.Multiple(async () =>
        {
            Assert.That(requests.Select(r => r.Header("x-causeloop-attempt")), Is.EqualTo(new[] { "1", "2" }), "the retry was claimed");
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
