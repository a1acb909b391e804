using Npgsql;

namespace Causeloop.Api.Tests.Chaos;

/// <summary>
/// The fault suite (<c>scripts/chaos</c>; also part of <c>scripts/test</c>): the published service as its own
/// process, a throwaway durable Postgres, real receivers. Each scenario sends known events and signed inbound
/// requests, injects a fault, and <see cref="ChaosWorld.VerifyAsync"/> checks that nothing acknowledged was lost,
/// everything was delivered at least once, no lease was left behind and no answer was a 500.
/// </summary>
[Category("Chaos")]
[NonParallelizable]
public sealed class ChaosTests
{
    private ChaosWorld? _world;

    [OneTimeSetUp]
    public static void Header() => TestContext.Out.WriteLine(
        "| scenario | acknowledged (events + inbound) | events stored | client saw | slowest 503/429 | duplicates delivered | leases overdue | recovered in | first delivery after fault (any / accepted after) | notes |");

    [TearDown]
    public async Task TearDown()
    {
        if (_world is not null)
        {
            if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                TestContext.Out.WriteLine($"service logs kept in {_world.Folder}");
            }

            await _world.DisposeAsync();
        }
    }

    [Test]
    public async Task Sigkill_mid_delivery_then_restart()
    {
        var world = _world = await ChaosWorld.StartAsync("1-sigkill-mid-delivery", Pinned(16));
        await using var receiver = await ChaosReceiver.StartAsync(ReceiverMode.Slow);
        receiver.Delay = TimeSpan.FromMilliseconds(300);
        await world.AddWebhookAsync("slow", receiver);
        await world.AddInboundAsync();
        using var watch = new CancellationTokenSource();
        var leases = world.WatchLeasesAsync(watch.Token);

        await world.LoadAsync(events: 400, inbound: 100);
        await Until(() => receiver.Received >= 60);
        world.Services[0].Kill();
        await world.Services[0].StartAsync();
        world.FaultEnded();

        await world.VerifyAsync(TimeSpan.FromSeconds(120));
        await watch.CancelAsync();
        await leases;
    }

    [Test]
    public async Task Postgres_restarts_under_load()
    {
        var world = _world = await ChaosWorld.StartAsync("2-postgres-restart");
        await using var receiver = await ChaosReceiver.StartAsync();
        await world.AddWebhookAsync("fast", receiver);
        await world.AddInboundAsync();

        var load = world.LoadAsync(events: 1500, inbound: 500, pause: TimeSpan.FromMilliseconds(5));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await world.Postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await world.Postgres.StartAsync();
        world.FaultEnded();
        var afterRestart = world.LoadAsync(events: 100, inbound: 0);
        await load;
        await afterRestart;

        // The database is usable again from the moment it started: deliveries resume within 5 s of it.
        await world.VerifyAsync(TimeSpan.FromSeconds(90), resumeWithin: TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task Five_kill_and_restart_cycles()
    {
        var world = _world = await ChaosWorld.StartAsync("3-five-kill-cycles", Pinned(16));
        await using var receiver = await ChaosReceiver.StartAsync(ReceiverMode.Slow);
        receiver.Delay = TimeSpan.FromMilliseconds(100);
        await world.AddWebhookAsync("slow", receiver);
        await world.AddInboundAsync();

        var load = world.LoadAsync(events: 1500, inbound: 500, pause: TimeSpan.FromMilliseconds(5));
        for (var cycle = 0; cycle < 5; cycle++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            world.Services[0].Kill();
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            await world.Services[0].StartAsync();
        }

        world.FaultEnded();
        await load;
        await world.VerifyAsync(TimeSpan.FromSeconds(120));
    }

    [Test]
    public async Task Backends_terminated_repeatedly()
    {
        var world = _world = await ChaosWorld.StartAsync("4-terminate-backends");
        await using var receiver = await ChaosReceiver.StartAsync();
        await world.AddWebhookAsync("fast", receiver);
        await world.AddInboundAsync();

        var load = world.LoadAsync(events: 1500, inbound: 500, pause: TimeSpan.FromMilliseconds(5));
        var terminated = 0L;
        var until = DateTime.UtcNow.AddSeconds(6);
        while (DateTime.UtcNow < until)
        {
            terminated += await world.Postgres.ScalarAsync<long>(
                "select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()) t");
            await Task.Delay(300);
        }

        world.FaultEnded();
        var afterFault = world.LoadAsync(events: 100, inbound: 0);
        TestContext.Out.WriteLine($"backends terminated: {terminated}");
        await load;
        await afterFault;
        await world.VerifyAsync(TimeSpan.FromSeconds(90), resumeWithin: TimeSpan.FromSeconds(5));
        Assert.That(terminated, Is.GreaterThan(10), "the fault really happened");
    }

    [Test]
    public async Task Connection_exhaustion_answers_quick_503s_and_the_worker_resumes()
    {
        // The service's default lease (15 s attempt deadline + 10 s margin), far longer than the 5 s bound below: an
        // attempt the fault left unrecorded cannot simply be waited out within it.
        var world = _world = await ChaosWorld.StartAsync("5-connection-exhaustion", new Dictionary<string, string?>
        {
            ["Causeloop__Delivery__AttemptTimeout"] = "00:00:15",
            ["Causeloop__Delivery__LeaseMargin"] = "00:00:10",
        }, maxConnections: 40, connectionOptions: "Timeout=3");
        await using var receiver = await ChaosReceiver.StartAsync();
        await world.AddWebhookAsync("fast", receiver);
        await world.AddInboundAsync();

        var load = world.LoadAsync(events: 1000, inbound: 300, pause: TimeSpan.FromMilliseconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var held = new List<NpgsqlConnection>();
        await using var admin = new NpgsqlConnection(world.Postgres.ConnectionString + ";Pooling=false");
        await admin.OpenAsync();
        try
        {
            // Take every slot: drop the service's sessions, then hold connections until the server refuses more.
            for (var round = 0; round < 2; round++)
            {
                await using (var terminate = new NpgsqlCommand(
                    "select count(pg_terminate_backend(pid)) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid() and pid <> all(@held)", admin))
                {
                    terminate.Parameters.AddWithValue("held", held.Select(c => c.ProcessID).ToArray());
                    await terminate.ExecuteScalarAsync();
                }

                while (true)
                {
                    var connection = new NpgsqlConnection(world.Postgres.ConnectionString + ";Pooling=false");
                    try
                    {
                        await connection.OpenAsync();
                        held.Add(connection);
                    }
                    catch (PostgresException e) when (e.SqlState == "53300")
                    {
                        await connection.DisposeAsync();
                        break;
                    }
                }
            }

            TestContext.Out.WriteLine($"connections held: {held.Count}");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }

        // The release: from here the database takes connections again. Events published right after it (besides what
        // is left of the load), as in the report that found the defect: 180 of them.
        world.FaultEnded();
        var afterRelease = world.LoadAsync(events: 180, inbound: 0);
        await load;
        await afterRelease;

        // Deliveries resume within 5 s of the release: the first request any receiver gets after it, and the first
        // delivery of an event accepted after it (both in the report's last column).
        await world.VerifyAsync(TimeSpan.FromSeconds(90), resumeWithin: TimeSpan.FromSeconds(5));
        Assert.That(held, Has.Count.GreaterThan(20), "the fault really happened");
    }

    [Test]
    public async Task A_receiver_that_never_answers_does_not_delay_a_fast_one()
    {
        var world = _world = await ChaosWorld.StartAsync("6-hanging-beside-fast", new Dictionary<string, string?>
        {
            ["Causeloop__Delivery__AttemptTimeout"] = "00:00:20",
        });
        await using var hanging = await ChaosReceiver.StartAsync(ReceiverMode.Hang);
        await using var fast = await ChaosReceiver.StartAsync();
        await world.AddWebhookAsync("hanging", hanging);
        await world.AddWebhookAsync("fast", fast);

        var started = DateTime.UtcNow;
        await world.LoadAsync(events: 500, inbound: 0);
        await Until(() => fast.Answered.Count >= 500, TimeSpan.FromSeconds(15));
        var fastDone = DateTime.UtcNow - started;
        TestContext.Out.WriteLine($"fast receiver had all 500 after {fastDone.TotalSeconds:0.0} s; the hanging one holds {hanging.Received} attempts for up to 20 s each");
        Assert.That(hanging.Received, Is.GreaterThan(0), "the hanging receiver was being tried meanwhile");

        hanging.Mode = ReceiverMode.Fast;
        world.FaultEnded();
        await world.VerifyAsync(TimeSpan.FromSeconds(90));
    }

    [Test]
    public async Task A_slow_drip_receiver_is_cut_off_at_the_attempt_deadline()
    {
        var world = _world = await ChaosWorld.StartAsync("7-slow-drip", new Dictionary<string, string?>
        {
            ["Causeloop__Delivery__AttemptTimeout"] = "00:00:03",
        });
        await using var drip = await ChaosReceiver.StartAsync(ReceiverMode.Drip);
        await using var fast = await ChaosReceiver.StartAsync();
        await world.AddWebhookAsync("drip", drip);
        await world.AddWebhookAsync("fast", fast);
        using var watch = new CancellationTokenSource();
        var leases = world.WatchLeasesAsync(watch.Token);

        await world.LoadAsync(events: 40, inbound: 0);
        await Until(() => drip.Received >= 12, TimeSpan.FromSeconds(60));
        var longest = await world.Postgres.ScalarAsync<int>(
            $"select coalesce(max(duration_ms), 0) from delivery_attempts a join deliveries d on d.id = a.delivery_id where d.webhook_id = '{world.WebhookIds["drip"]}'");
        var overDeadline = await world.Postgres.ScalarAsync<long>(
            $"select count(*) from delivery_attempts a join deliveries d on d.id = a.delivery_id where d.webhook_id = '{world.WebhookIds["drip"]}' and a.duration_ms > 4000");
        TestContext.Out.WriteLine($"drip: {drip.Received} attempts, the longest recorded took {longest} ms");
        Assert.Multiple(() =>
        {
            // The 200 status decides such an attempt (a success); its body is kept as far as it came by the deadline.
            Assert.That(longest, Is.InRange(2500, 4000), "one deadline (3 s) bounds the whole attempt, body included");
            Assert.That(overDeadline, Is.Zero, "no attempt outlived the deadline by more than a second");
            Assert.That(drip.MostUnderWayForOneDelivery, Is.EqualTo(1), "a delivery is never sent again while its attempt runs");
        });

        drip.Mode = ReceiverMode.Fast;
        world.FaultEnded();
        await world.VerifyAsync(TimeSpan.FromSeconds(60));
        await watch.CancelAsync();
        await leases;
    }

    [Test]
    public async Task Two_instances_one_sigkilled()
    {
        var world = _world = await ChaosWorld.StartAsync("8-two-instances-one-killed", Pinned(4), instances: 2);
        await using var receiver = await ChaosReceiver.StartAsync(ReceiverMode.Slow);
        receiver.Delay = TimeSpan.FromMilliseconds(100);
        await world.AddWebhookAsync("slow", receiver);
        await world.AddInboundAsync();
        using var watch = new CancellationTokenSource();
        var leases = world.WatchLeasesAsync(watch.Token);

        var load = world.LoadAsync(events: 400, inbound: 100);
        await Until(() => receiver.Received >= 60);
        world.Services[0].Kill();
        world.FaultEnded();
        await load;

        await world.VerifyAsync(TimeSpan.FromSeconds(120));
        Assert.Multiple(() =>
        {
            Assert.That(receiver.MostUnderWay, Is.LessThanOrEqualTo(4), "the per-endpoint limit holds across the two instances");
            Assert.That(receiver.MostUnderWayForOneDelivery, Is.EqualTo(1));
        });
        await watch.CancelAsync();
        await leases;
    }

    [Test]
    public async Task Ordering_keys_hold_through_kills_restarts_two_instances_and_failed_attempts()
    {
        var world = _world = await ChaosWorld.StartAsync("9-ordering-keys", instances: 2);
        await using var receiver = await ChaosReceiver.StartAsync(ReceiverMode.Slow);
        receiver.Delay = TimeSpan.FromMilliseconds(30);
        receiver.FailEvery = 7; // retries hold their keys
        await world.AddWebhookAsync("ordered", receiver);
        using var watch = new CancellationTokenSource();
        var leases = world.WatchLeasesAsync(watch.Token);

        var load = world.LoadKeyedAsync(keys: 40, perKey: 10);
        await Until(() => receiver.Received >= 60);
        world.Services[0].Kill();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await world.Services[0].StartAsync();
        await Until(() => receiver.Received >= 200);
        world.Services[1].Kill();
        await world.Services[1].StartAsync();
        world.FaultEnded();
        await load;

        await world.VerifyAsync(TimeSpan.FromSeconds(120));
        Assert.That(world.VerifyOrdering(receiver), Is.EqualTo(40 * 9), "every pair of consecutive events of a key was checked");
        await watch.CancelAsync();
        await leases;
    }

    /// <summary>
    /// With <c>read-write</c> (what the docs recommend) the service connects to no node while the new primary is still
    /// read-only; with <c>primary</c> it connects to it and its writes are refused with 25006: both answer 503.
    /// </summary>
    [TestCase("read-write")]
    [TestCase("primary")]
    public async Task Primary_killed_and_its_synchronous_standby_promoted_under_load(string targetSessionAttributes)
    {
        ChaosFailover? formation = null;
        var world = _world = await ChaosWorld.StartAsync(
            $"10-failover-{targetSessionAttributes}", database: async () => formation = await ChaosFailover.StartAsync(targetSessionAttributes));
        await using var receiver = await ChaosReceiver.StartAsync();
        await world.AddWebhookAsync("fast", receiver);
        await world.AddInboundAsync();
        using var watch = new CancellationTokenSource();
        var leases = world.WatchLeasesAsync(watch.Token);

        var load = world.LoadAsync(events: 2500, inbound: 500, pause: TimeSpan.FromMilliseconds(5));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var standby = await formation!.KillPrimaryAsync();
        var killed = System.Diagnostics.Stopwatch.GetTimestamp();
        var (promoted, writable) = await formation.WaitForPromotionAsync(standby, TimeSpan.FromSeconds(90));
        world.FaultEnded();
        var afterPromotion = world.LoadAsync(events: 200, inbound: 0);
        await load;
        await afterPromotion;

        var toPromotion = System.Diagnostics.Stopwatch.GetElapsedTime(killed, promoted);
        var toWritable = System.Diagnostics.Stopwatch.GetElapsedTime(killed, writable);
        var toAcknowledgement = world.FirstAcknowledgementAfter(killed);
        var notes = $"promoted {toPromotion.TotalSeconds:0.0} s after the kill, writable at {toWritable.TotalSeconds:0.0} s, "
            + $"first acknowledgement at {ChaosWorld.Seconds(toAcknowledgement)} ({ChaosWorld.Seconds(toAcknowledgement - toPromotion)} after promotion)";
        TestContext.Out.WriteLine(notes);

        // Deliveries resume by themselves once the new primary takes writes (ChaosFailover.DemoteTimeout after promotion).
        await world.VerifyAsync(TimeSpan.FromSeconds(90), resumeWithin: ChaosFailover.DemoteTimeout + TimeSpan.FromSeconds(10), notes: notes);
        Assert.Multiple(() =>
        {
            Assert.That(toAcknowledgement, Is.Not.Null.And.LessThanOrEqualTo(toPromotion + TimeSpan.FromSeconds(30)), "acknowledgements again within 30 s of the promotion");
            Assert.That(world.Answers.Keys, Does.Contain("503"), "the switch was seen: 503 while no node took writes");
        });
        await watch.CancelAsync();
        await leases;
    }

    [Test]
    public async Task Pgbouncer_in_transaction_mode_beside_a_direct_instance_under_load()
    {
        ChaosPgBouncer? bouncer = null;
        var world = _world = await ChaosWorld.StartAsync("11-pgbouncer-transaction-mode", instances: 2, database: async () => bouncer = await ChaosPgBouncer.StartAsync(),
            instance: (i, settings) =>
            {
                // The first instance through PgBouncer (transaction pooling), the second straight to Postgres (session).
                if (i == 0)
                {
                    settings["ConnectionStrings__Causeloop"] = bouncer!.PooledConnectionString;
                    settings["Causeloop__Database__Pooling"] = "transaction";
                }
            });
        await using var receiver = await ChaosReceiver.StartAsync();
        await world.AddWebhookAsync("fast", receiver);
        await world.AddInboundAsync();
        using var watch = new CancellationTokenSource();
        var leases = world.WatchLeasesAsync(watch.Token);

        var before = await bouncer!.TransactionsAsync();
        await world.LoadAsync(events: 1500, inbound: 500, pause: TimeSpan.FromMilliseconds(5));
        var pooled = await bouncer.TransactionsAsync() - before;
        var notes = $"{pooled} transactions through PgBouncer";
        TestContext.Out.WriteLine(notes);

        await world.VerifyAsync(TimeSpan.FromSeconds(60), notes: notes);
        var errors = world.Logs().Split('\n').Where(l => l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(world.Answers.Keys, Is.All.Matches<string>(status => status.StartsWith('2')), "no 5xx, not even a 503");
            Assert.That(errors, Is.Empty, "no errors in the services' logs");
            Assert.That(pooled, Is.GreaterThan(1000), "the pooled instance really worked through PgBouncer");
        });
        await watch.CancelAsync();
        await leases;
    }

    /// <summary>Per-endpoint concurrency fixed at <paramref name="limit"/> (no adaptive growth).</summary>
    private static Dictionary<string, string?> Pinned(int limit) => new()
    {
        ["Causeloop__Delivery__PerEndpointConcurrency"] = $"{limit}",
        ["Causeloop__Delivery__MaxPerEndpointConcurrency"] = $"{limit}",
    };

    private static async Task Until(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The scenario's condition was not reached in time.");
            }

            await Task.Delay(20);
        }
    }
}
