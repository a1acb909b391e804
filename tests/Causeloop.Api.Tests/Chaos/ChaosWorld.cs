using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;
using Causeloop.Domain.Access;
using Dapper;
using Npgsql;

namespace Causeloop.Api.Tests.Chaos;

/// <summary>
/// One scenario's world: its own durable Postgres, the service as one or more processes, real receivers, and a
/// load of known events (<c>POST /v1/events</c>) and signed inbound requests, each retried by the client until it is
/// acknowledged, as a real sender would. Records every answer; <see cref="VerifyAsync"/> checks the guarantees.
/// </summary>
public sealed class ChaosWorld : IAsyncDisposable
{
    /// <summary>What every scenario runs with: short retries, a short attempt deadline, the minimum lease margin.</summary>
    public static readonly IReadOnlyDictionary<string, string?> BaseSettings = new Dictionary<string, string?>
    {
        ["Causeloop__Delivery__AttemptTimeout"] = "00:00:05",
        ["Causeloop__Delivery__LeaseMargin"] = "00:00:01",
        ["Causeloop__Delivery__PollInterval"] = "00:00:00.500",
        ["Causeloop__Delivery__RetryJitter"] = "0",
        ["Causeloop__Delivery__RetryDelays__0"] = "00:00:01",
        ["Causeloop__Delivery__RetryDelays__1"] = "00:00:01",
        ["Causeloop__Delivery__RetryDelays__2"] = "00:00:02",
        ["Causeloop__Delivery__RetryDelays__3"] = "00:00:02",
        ["Causeloop__Delivery__RetryDelays__4"] = "00:00:02",
        ["Causeloop__Delivery__RetryDelays__5"] = "00:00:02",
        ["Causeloop__Delivery__RetryDelays__6"] = "00:00:02",
        ["Causeloop__Delivery__RetryDelays__7"] = "00:00:02",
        ["Causeloop__Delivery__RetryDelays__8"] = "00:00:02",
        ["Causeloop__Delivery__RetryDelays__9"] = "00:00:02",
    };

    private readonly string _name;
    private readonly string _folder;
    private readonly ConcurrentDictionary<string, string> _events = new();
    private readonly ConcurrentDictionary<string, string> _inbound = new();
    private readonly ConcurrentDictionary<string, int> _answers = new();
    private readonly ConcurrentBag<string> _unexpected = [];
    private readonly ConcurrentBag<double> _refusalSeconds = [];
    private readonly ConcurrentDictionary<string, long> _acceptedAt = new();
    private readonly ConcurrentDictionary<(int Key, int Round), int> _keyed = new();
    private readonly ConcurrentBag<(long Sent, long Answered)> _acknowledged = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<ChaosReceiver> _receivers = [];
    private string _apiKey = string.Empty;
    private string _connectorId = string.Empty;
    private string _inboundSecret = string.Empty;
    private int _next;
    private TimeSpan? _faultEnded;
    private long _faultEndedAt;
    private int _overdueLeases;
    private readonly ConcurrentBag<string> _overdueSeen = [];

    private ChaosWorld(string name, IChaosDatabase database, string folder)
    {
        _name = name;
        Database = database;
        _folder = folder;
    }

    /// <summary>What the services connect to.</summary>
    public IChaosDatabase Database { get; }

    /// <summary>The scenario's one cluster, for scenarios that stop and start it.</summary>
    public ChaosPostgres Postgres => (ChaosPostgres)Database;

    /// <summary>Every answer the clients got, by status ("no answer" when none came).</summary>
    public IReadOnlyDictionary<string, int> Answers => _answers;

    public List<ChaosService> Services { get; } = [];

    public IReadOnlyDictionary<string, string> WebhookIds => _webhooks;

    private readonly Dictionary<string, string> _webhooks = [];

    /// <param name="database">What the services connect to; by default one durable cluster of the scenario's own.</param>
    /// <param name="instance">Settings of one instance (by index) on top of <paramref name="settings"/>, e.g. its own connection string.</param>
    public static async Task<ChaosWorld> StartAsync(
        string name, IDictionary<string, string?>? settings = null, int instances = 1, int maxConnections = 100, string? connectionOptions = null,
        Func<Task<IChaosDatabase>>? database = null, Action<int, IDictionary<string, string?>>? instance = null)
    {
        var postgres = database is null ? await ChaosPostgres.StartAsync(maxConnections) : await database();
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "chaos", name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var world = new ChaosWorld(name, postgres, folder);
        try
        {
            await world.SetUpAsync(settings, instances, connectionOptions, instance);
        }
        catch
        {
            // The test never gets the world, so it cannot dispose it: stop its services and its database here.
            await world.DisposeAsync();
            throw;
        }

        return world;
    }

    private async Task SetUpAsync(
        IDictionary<string, string?>? settings, int instances, string? connectionOptions, Action<int, IDictionary<string, string?>>? instance)
    {
        var postgres = Database;
        var folder = _folder;
        var world = this;
        var all = new Dictionary<string, string?>(BaseSettings);
        foreach (var (setting, value) in settings ?? new Dictionary<string, string?>())
        {
            all[setting] = value;
        }

        var connectionString = postgres.ServiceConnectionString + (connectionOptions is null ? string.Empty : ";" + connectionOptions);
        var secretsKey = ChaosService.NewSecretsKey();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Causeloop"] = connectionString, ["Causeloop__Secrets__Key"] = secretsKey, ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        var migrate = await ServiceProcess.RunAsync(environment, "migrate");
        Assert.That(migrate.ExitCode, Is.Zero, migrate.StandardError);
        var key = await ServiceProcess.RunAsync(environment, "api-keys", "create", "--workspace", "chaos", "--scopes", string.Join(',', Scope.All.Select(s => s.Value)));
        Assert.That(key.ExitCode, Is.Zero, key.StandardError);
        world._apiKey = key.StandardOutput.Trim();

        for (var i = 0; i < instances; i++)
        {
            var own = new Dictionary<string, string?>(all);
            instance?.Invoke(i, own);
            var service = new ChaosService(connectionString, secretsKey, Path.Combine(folder, $"service-{i}.log"), own);
            world.Services.Add(service);
            await service.StartAsync();
        }
    }

    public HttpClient Client(ChaosService? service = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = (service ?? Services[0]).Url,
            Timeout = TimeSpan.FromSeconds(15),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        return client;
    }

    /// <summary>An outbound webhook to <paramref name="receiver"/> for every event type.</summary>
    public async Task AddWebhookAsync(string label, ChaosReceiver receiver)
    {
        using var client = Client();
        var response = await client.PostAsync("/v1/webhooks", Support.Json.Body(new { url = receiver.Url.ToString(), event_types = new[] { "*" } }));
        var node = await response.OkAsync(HttpStatusCode.Created);
        _webhooks[label] = node["id"]!.GetValue<string>();
        _receivers.Add(receiver);
    }

    public async Task AddInboundAsync()
    {
        using var client = Client();
        var connector = await (await client.PostAsync("/v1/connectors", Support.Json.Body("""{"name":"chaos","kind":"custom"}"""))).OkAsync(HttpStatusCode.Created);
        _connectorId = connector["id"]!.GetValue<string>();
        var webhook = await (await client.PostAsync("/v1/webhooks", Support.Json.Body(new { connector_id = _connectorId }))).OkAsync(HttpStatusCode.Created);
        _inboundSecret = webhook["signing_secret"]!.GetValue<string>();
    }

    /// <summary>Marks the end of the injected fault: the recovery time and the first delivery after it are counted from here.</summary>
    public void FaultEnded()
    {
        _faultEnded = _clock.Elapsed;
        _faultEndedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Publishes <paramref name="events"/> events and sends <paramref name="inbound"/> signed inbound requests with
    /// <paramref name="concurrency"/> senders, spread over the running instances; each is retried until acknowledged.
    /// </summary>
    public Task LoadAsync(int events, int inbound, int concurrency = 8, TimeSpan? pause = null)
    {
        var start = _next;
        _next += events + inbound;
        var work = new ConcurrentQueue<int>(Enumerable.Range(start, events + inbound));
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(async sender =>
        {
            var clients = Services.Select(s => Client(s)).ToList();
            try
            {
                while (work.TryDequeue(out var n))
                {
                    await SendUntilAcknowledgedAsync(clients, sender, n, isInbound: n - start >= events);
                    if (pause is { } wait)
                    {
                        await Task.Delay(wait);
                    }
                }
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        }));
    }

    /// <summary>
    /// Publishes <paramref name="perKey"/> events for each of <paramref name="keys"/> ordering keys, each key's events one
    /// after the other (the next only once the previous is acknowledged), the keys spread over
    /// <paramref name="concurrency"/> senders and the running instances.
    /// </summary>
    public Task LoadKeyedAsync(int keys, int perKey, int concurrency = 8)
    {
        var start = _next;
        _next += keys * perKey;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(async sender =>
        {
            var clients = Services.Select(s => Client(s)).ToList();
            try
            {
                for (var round = 0; round < perKey; round++)
                {
                    for (var key = sender; key < keys; key += concurrency)
                    {
                        var n = start + (key * perKey) + round;
                        await SendUntilAcknowledgedAsync(clients, sender, n, isInbound: false, orderingKey: $"key-{key}");
                        _keyed[(key, round)] = n;
                    }
                }
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        }));
    }

    /// <summary>
    /// The ordering guarantee (§15) at <paramref name="receiver"/>: for every key, no event's first request came before the
    /// previous event of its key was answered 2xx (a later event never overtook an earlier unfinished one). Returns how many
    /// pairs were checked; fails on an inversion.
    /// </summary>
    public int VerifyOrdering(ChaosReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        var inversions = new List<string>();
        var pairs = 0;
        foreach (var ((key, round), n) in _keyed)
        {
            if (!_keyed.TryGetValue((key, round + 1), out var next))
            {
                continue;
            }

            var earlier = _events[$"{n}"];
            var later = _events[$"{next}"];
            pairs++;
            if (!receiver.FirstAnswered.TryGetValue(earlier, out var answered) || !receiver.FirstArrival.TryGetValue(later, out var arrived) || arrived < answered)
            {
                inversions.Add($"key-{key}: event {round + 1} arrived before event {round} was answered");
            }
        }

        Report($"| {_name} (ordering) | {pairs} pairs of one key checked | | | | | | inversions: {inversions.Count} | |");
        Assert.That(inversions, Is.Empty, "a later event of a key overtook an earlier unfinished one");
        return pairs;
    }

    /// <summary>
    /// Samples, until cancelled, the deliveries left in flight more than 2 s past their lease while the database could be
    /// used: a lease that ran out while no node took writes (a failover longer than the lease) counts from the moment the
    /// database took writes again, since nobody could record or take it over before.
    /// </summary>
    public async Task WatchLeasesAsync(CancellationToken cancellationToken)
    {
        DateTime? usableSince = null; // the database's clock, at the first sample of the current run of successful ones
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var now = await Database.ScalarAsync<DateTime>("select now()");
                usableSince ??= now;
                var overdue = await Database.ScalarAsync<long>(
                    $"select count(*) from deliveries where status = 'in_flight' and greatest(locked_until, '{usableSince:O}'::timestamptz) < now() - interval '2 seconds'");
                _overdueLeases = Math.Max(_overdueLeases, (int)overdue);
                if (overdue > 0)
                {
                    _overdueSeen.Add(await Database.ScalarAsync<string>(
                        "select coalesce(string_agg(format('%s (key %s, attempt %s) %s s past its lease at %s', id, ordering_key, attempt_count, " +
                        "round(extract(epoch from now() - locked_until)::numeric, 1), to_char(now(), 'HH24:MI:SS.MS')), '; '), '') " +
                        "from deliveries where status = 'in_flight' and locked_until < now() - interval '2 seconds'"));
                }
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The database is down or read-only in this scenario: nothing to sample.
                usableSince = null;
            }

            try
            {
                await Task.Delay(500, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The guarantees: every acknowledged request is stored; every event reaches every receiver at least once
    /// within <paramref name="within"/>; nothing stays in flight past its lease; no answer was a 500 (or anything
    /// but 2xx, 503 and 429). With <paramref name="resumeWithin"/>, deliveries also resume that soon after the fault
    /// ended: the first request any receiver got after it, and the first delivery of an event accepted after it.
    /// Writes the scenario's figures to the report.
    /// </summary>
    /// <param name="notes">The scenario's own figures, for the report's last column.</param>
    public async Task VerifyAsync(TimeSpan within, TimeSpan? resumeWithin = null, string notes = "")
    {
        if (_faultEnded is null)
        {
            FaultEnded();
        }

        await using var db = new NpgsqlConnection(Database.ConnectionString + ";Pooling=false");
        await db.OpenAsync();
        var storedEvents = await db.ExecuteScalarAsync<long>("select count(*) from events where id = any(@ids)", new { ids = _events.Values.Select(Guid.Parse).ToArray() });
        var storedInbound = await db.ExecuteScalarAsync<long>("select count(*) from inbound_events where id = any(@ids)", new { ids = _inbound.Values.Select(Guid.Parse).ToArray() });

        var deadline = DateTime.UtcNow + within;
        long total;
        long undelivered;
        long notSucceeded;
        while (true)
        {
            var ids = (await db.QueryAsync<Guid>("select id from events")).Select(id => id.ToString()).ToList();
            total = ids.Count;
            undelivered = _receivers.Sum(receiver => ids.Count(id => !receiver.Answered.ContainsKey(id)));

            // A success the service could not record (its connection was cut) is sent again once the lease expires.
            notSucceeded = await db.ExecuteScalarAsync<long>("select count(*) from deliveries where status <> 'succeeded'");
            if ((undelivered == 0 && notSucceeded == 0) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(250);
        }

        var recovery = _clock.Elapsed - _faultEnded.GetValueOrDefault();
        var inFlight = await db.ExecuteScalarAsync<long>("select count(*) from deliveries where status = 'in_flight'");
        var answers = string.Join(", ", _answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"));
        var duplicates = _receivers.Sum(r => r.Duplicates);
        var refusal = _refusalSeconds.IsEmpty ? 0 : _refusalSeconds.Max();
        var (anyDelivery, acceptedDelivery, acceptedAfter) = DeliveriesAfterFault();
        var resumed = $"{Seconds(anyDelivery)} / {Seconds(acceptedDelivery)} ({acceptedAfter} accepted after)";
        Report(
            $"| {_name} | {_events.Count} + {_inbound.Count} | {total} | {answers} | {refusal:0.0} s | {duplicates} | {_overdueLeases} | {recovery.TotalSeconds:0.0} s | {resumed} | {notes} |");

        var logs = string.Join(Environment.NewLine, Services.Select(s => s.Log()));
        Assert.Multiple(() =>
        {
            Assert.That(_unexpected, Is.Empty, "answers other than 2xx, 429 and 503");
            Assert.That(storedEvents, Is.EqualTo(_events.Count), "every acknowledged event is stored");
            Assert.That(storedInbound, Is.EqualTo(_inbound.Count), "every acknowledged inbound request is stored");
            Assert.That(total, Is.EqualTo(_events.Count + _inbound.Count), "published events plus one issue.ingested per inbound request, none twice");
            Assert.That(undelivered, Is.Zero, $"every event delivered to every receiver within {within.TotalSeconds} s");
            Assert.That(notSucceeded, Is.Zero, "no delivery left unfinished");
            Assert.That(inFlight, Is.Zero, "nothing left in flight");
            Assert.That(_overdueLeases, Is.Zero, $"no delivery stayed in flight more than 2 s past its lease (seen: {string.Join(" | ", _overdueSeen)})");
            Assert.That(logs, Does.Not.Contain("Unhandled exception"), "the service logged a bug");
            if (resumeWithin is { } bound)
            {
                Assert.That(acceptedAfter, Is.GreaterThan(0), "events were accepted after the fault ended (the measure below needs them)");
                Assert.That(anyDelivery, Is.Not.Null.And.LessThanOrEqualTo(bound), $"the first delivery of any event after the fault ended came within {bound.TotalSeconds} s");
                Assert.That(acceptedDelivery, Is.Not.Null.And.LessThanOrEqualTo(bound), $"the first delivery of an event accepted after the fault ended came within {bound.TotalSeconds} s of the end");
            }
        });
    }

    /// <summary>
    /// From the end of the fault: to the first request any receiver got, and to the first request for an event
    /// accepted (acknowledged to the client) after it; and how many events were accepted after it.
    /// </summary>
    private (TimeSpan? AnyDelivery, TimeSpan? AcceptedDelivery, int AcceptedAfter) DeliveriesAfterFault()
    {
        var end = _faultEndedAt;
        var any = _receivers.SelectMany(r => r.Arrivals).Where(t => t >= end).DefaultIfEmpty(long.MaxValue).Min();
        var acceptedAfter = _acceptedAt.Where(a => a.Value >= end).Select(a => a.Key).ToList();
        var accepted = _receivers
            .SelectMany(r => acceptedAfter.Select(id => r.FirstArrival.TryGetValue(id, out var t) ? t : long.MaxValue))
            .Where(t => t >= end) // an event committed while the connections were being released may have gone out before its answer came back
            .DefaultIfEmpty(long.MaxValue).Min();
        return (Since(any), Since(accepted), acceptedAfter.Count);

        TimeSpan? Since(long timestamp) => timestamp == long.MaxValue ? null : Stopwatch.GetElapsedTime(end, timestamp);
    }

    /// <summary>From <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp) to the first acknowledgement of a request sent after it.</summary>
    public TimeSpan? FirstAcknowledgementAfter(long timestamp) =>
        _acknowledged.Where(a => a.Sent >= timestamp).Select(a => a.Answered).DefaultIfEmpty(long.MaxValue).Min() is var first && first != long.MaxValue
            ? Stopwatch.GetElapsedTime(timestamp, first)
            : null;

    /// <summary>Every service's log.</summary>
    public string Logs() => string.Join(Environment.NewLine, Services.Select(s => s.Log()));

    public static string Seconds(TimeSpan? elapsed) => elapsed is { } e ? $"{e.TotalSeconds:0.0} s" : "none";

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Services)
        {
            await service.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    private static void Report(string row)
    {
        TestContext.Out.WriteLine(row);
        if (Environment.GetEnvironmentVariable("CAUSELOOP_CHAOS_REPORT") is { Length: > 0 } path)
        {
            lock (typeof(ChaosWorld))
            {
                File.AppendAllText(path, row + Environment.NewLine);
            }
        }
    }

    private async Task SendUntilAcknowledgedAsync(List<HttpClient> clients, int sender, int n, bool isInbound, string? orderingKey = null)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(120);
        for (var attempt = 0; DateTime.UtcNow < giveUp; attempt++)
        {
            var index = (sender + attempt) % clients.Count;
            if (!Services[index].IsRunning)
            {
                index = Services.FindIndex(s => s.IsRunning) is var alive and >= 0 ? alive : index;
            }

            using var request = isInbound ? Inbound(n) : Publish(n, orderingKey);
            var started = Stopwatch.GetTimestamp();
            string outcome;
            try
            {
                using var response = await clients[index].SendAsync(request);
                var status = (int)response.StatusCode;
                outcome = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (status is 200 or 201 or 202)
                {
                    var id = (await response.ReadNodeAsync())["id"]!.GetValue<string>();
                    (isInbound ? _inbound : _events)[$"{n}"] = id;
                    if (!isInbound)
                    {
                        _acceptedAt.TryAdd(id, Stopwatch.GetTimestamp());
                    }

                    _answers.AddOrUpdate(outcome, 1, (_, c) => c + 1);
                    _acknowledged.Add((started, Stopwatch.GetTimestamp()));
                    return;
                }

                if (status is 503 or 429)
                {
                    _refusalSeconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                }
                else
                {
                    _unexpected.Add($"{status} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                outcome = "no answer";
            }

            _answers.AddOrUpdate(outcome, 1, (_, c) => c + 1);
            await Task.Delay(200);
        }

        _unexpected.Add($"request {n} was never acknowledged within 120 s");
    }

    private static HttpRequestMessage Publish(int n, string? orderingKey = null) => new(HttpMethod.Post, "/v1/events")
    {
        Content = Support.Json.Body(new { type = "sync.completed", data = new { n }, idempotency_key = $"chaos-{n}", ordering_key = orderingKey }),
    };

    private HttpRequestMessage Inbound(int n)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"n":{{n}}}""");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{_connectorId}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-causeloop-signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_inboundSecret), body)));
        request.Headers.Add("x-causeloop-event-id", $"in-{n}");
        return request;
    }

    /// <summary>The scenario's working folder (service logs), kept for a failing run.</summary>
    public string Folder => _folder;
}
