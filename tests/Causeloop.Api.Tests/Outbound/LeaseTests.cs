using Causeloop.Api.Tests.Support;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Deliveries;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>
/// A lease holds while its holder works on the delivery, whatever the holder's clock says and however long its record
/// waits: another instance never takes over a delivery whose attempt is running or finished and waiting to be recorded.
/// </summary>
public sealed class LeaseTests : OwnDatabaseTest
{
    [Test]
    public async Task An_instance_whose_clock_runs_a_minute_late_holds_its_lease_against_one_with_the_right_time()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = async (_, n) =>
        {
            if (n == 0)
            {
                await release.Task; // the first attempt runs until the test has watched the other instance
            }

            return Results.Ok();
        };
        var late = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-1));
        await using var lateInstance = await ServiceHost.StartAsync(Database, Short, services => services.AddSingleton<TimeProvider>(late));
        var tenant = await lateInstance.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        await receiver.WaitForAsync(1);

        // Its lease ends 12 s from now on the database's clock; on the late instance's own clock it ended 48 s ago.
        var claims = new CountingClaims();
        await using var onTime = await ServiceHost.StartAsync(Database, Short, services => services.AddSingleton<IClaimStore>(sp => claims.Around(sp.GetRequiredService<ClaimStore>())));
        await Eventually.HoldsAsync(() => Task.FromResult(claims.Count >= 5), "the other instance looked for due deliveries five times");
        var whileHeld = receiver.Received.Count;
        release.SetResult();

        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        Assert.Multiple(() =>
        {
            Assert.That(whileHeld, Is.EqualTo(1), "no second request while the first attempt ran");
            Assert.That(delivery["attempts"]!.AsArray(), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task A_lease_is_kept_alive_while_its_finished_attempt_waits_to_be_recorded()
    {
        var gate = new GatedAttemptStore();
        await using var receiver = await Receiver.StartAsync();
        await using var holder = await ServiceHost.StartAsync(Database, Short, services => services.AddSingleton<IAttemptStore>(sp => gate.Around(sp.GetRequiredService<AttemptStore>())));
        var tenant = await holder.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        await receiver.WaitForAsync(1);
        await Eventually.HoldsAsync(() => Task.FromResult(gate.Waiting), "the holder's record waits behind the gate (a slow database)");

        // The lease (2 s attempt deadline + 2 s margin) would lapse while the record waits; the holder keeps extending it.
        var claims = new CountingClaims();
        await using var other = await ServiceHost.StartAsync(Database, Short, services => services.AddSingleton<IClaimStore>(sp => claims.Around(sp.GetRequiredService<ClaimStore>())));
        var watching = System.Diagnostics.Stopwatch.StartNew();
        await Eventually.HoldsAsync(() => Task.FromResult(claims.Count >= 10 && watching.Elapsed > TimeSpan.FromSeconds(6)),
            "the other instance looked for due deliveries for longer than the lease", TimeSpan.FromSeconds(30));
        var whileWaiting = receiver.Received.Count;
        gate.Open();

        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        Assert.Multiple(() =>
        {
            Assert.That(whileWaiting, Is.EqualTo(1), "no second request while the first one's record waited");
            Assert.That(delivery["attempts"]!.AsArray(), Has.Count.EqualTo(1));
        });
    }

    /// <summary>Short leases: 2 s attempt deadline + 2 s margin; a quick poll.</summary>
    private static Dictionary<string, string?> Short => new()
    {
        ["Causeloop:Delivery:AttemptTimeout"] = "00:00:02",
        ["Causeloop:Delivery:LeaseMargin"] = "00:00:02",
        ["Causeloop:Delivery:PollInterval"] = "00:00:00.100",
    };

    /// <summary>Holds every recording until <see cref="Open"/>, as a database that has stopped answering would.</summary>
    private sealed class GatedAttemptStore
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiting;

        public bool Waiting => Volatile.Read(ref _waiting) > 0;

        public IAttemptStore Around(IAttemptStore inner) => new Store(this, inner);

        public void Open() => _open.TrySetResult();

        private sealed class Store(GatedAttemptStore owner, IAttemptStore inner) : IAttemptStore
        {
            public async Task<IAttemptRecording> BeginAsync(CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref owner._waiting);
                await owner._open.Task;
                return await inner.BeginAsync(cancellationToken);
            }
        }
    }
}
