using System.Net;
using Causeloop.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// The per-connector limit, on a fake clock: a window ends only when the test advances the clock, so the counts are
/// exact and nothing waits for a real second to pass.
/// </summary>
public sealed class InboundRateLimitTests : ApiTest
{
    // On a whole second, so the windows (whole seconds of the clock) start where the test says.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:RateLimitPerSecond"] = "5",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Test]
    public async Task Past_the_per_connector_limit_requests_get_429_with_retry_after_until_the_window_ends_and_other_connectors_are_unaffected()
    {
        var busy = await SignedSource.CreateAsync(Host);
        var quiet = await SignedSource.CreateAsync(Host, busy.Tenant);
        using var source = Host.Client();
        await WarmUpAsync(source, busy, quiet);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => busy.SendAsync(source, $$"""{"n":{{i}}}""")));
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Accepted), Is.EqualTo(5), "five a window, exactly");
            Assert.That(limited, Has.Count.EqualTo(7));
            Assert.That(limited.Select(r => r.Headers.RetryAfter?.Delta), Is.All.EqualTo(TimeSpan.FromSeconds(1)), "until the window ends, rounded up");
        });
        await limited[0].ProblemAsync(HttpStatusCode.TooManyRequests);
        await SignedSource.AcceptedAsync(await quiet.SendAsync(source, "{}"));

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.That((await busy.SendAsync(source, "{}")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the window has not ended yet");
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await SignedSource.AcceptedAsync(await busy.SendAsync(source, "{}"));
    }

    [Test]
    public async Task Other_spellings_of_a_connector_id_share_its_bucket()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        await WarmUpAsync(source, endpoint);
        var id = Guid.Parse(endpoint.ConnectorId);
        string[] spellings = [id.ToString(), id.ToString().ToUpperInvariant(), id.ToString("N"), id.ToString("B")];

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (endpoint with { ConnectorId = spellings[i % spellings.Length] }).SendAsync(source, $$"""{"n":{{i}}}""")));
        Assert.Multiple(() =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Accepted), Is.EqualTo(5), "one bucket of five, not one per spelling");
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.EqualTo(7));
        });
    }

    /// <summary>Makes the connectors known to this instance (a first request is charged to the unknown-id budget), then starts a fresh window.</summary>
    private async Task WarmUpAsync(HttpClient source, params SignedSource[] endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, "{}"));
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
    }
}

/// <summary>The rejected-request budget per source address, on a fake clock (exact counts, no waiting).</summary>
public sealed class RejectedRequestRateLimitTests : ApiTest
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:RateLimitPerSecond"] = "5",
        ["Causeloop:Inbound:RejectedPerAddressPerSecond"] = "5",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    /// <summary>Every test starts in a window of its own.</summary>
    [SetUp]
    public void NextWindow() => _clock.Advance(TimeSpan.FromSeconds(1));

    [Test]
    public async Task Random_connector_ids_are_limited_per_source_address_until_the_window_ends()
    {
        using var source = Host.Client();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SendForgedAsync(source, Guid.NewGuid().ToString())));
        Assert.Multiple(() =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized), Is.EqualTo(5));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.EqualTo(15));
        });

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That((await SendForgedAsync(source, Guid.NewGuid().ToString())).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a new window");
    }

    [Test]
    public async Task Forged_requests_at_a_connector_never_use_up_its_limit()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, "{}"));
        _clock.Advance(TimeSpan.FromSeconds(1));

        // Ten times the connector's limit in forgeries, then its own requests within the same window.
        var forged = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SendForgedAsync(source, endpoint.ConnectorId)));
        var good = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            good.Add((await endpoint.SendAsync(source, $$"""{"good":{{i}}}""")).StatusCode);
        }

        Assert.Multiple(() =>
        {
            Assert.That(forged.Count(r => r.StatusCode == HttpStatusCode.Unauthorized), Is.EqualTo(5), "five forgeries a window from this address");
            Assert.That(forged.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.EqualTo(45));
            Assert.That(good, Is.EqualTo(Enumerable.Repeat(HttpStatusCode.Accepted, 5).Append(HttpStatusCode.TooManyRequests)), "the connector's own five are untouched");
        });
    }

    private static async Task<HttpResponseMessage> SendForgedAsync(HttpClient source, string connectorId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{connectorId}") { Content = new StringContent("{}") };
        request.Headers.Add("x-causeloop-signature", new string('0', 64));
        return await source.SendAsync(request);
    }
}

/// <summary>§5 of the hostile run: a flood of forgeries, with the default limits and the real clock, does not stop good requests.</summary>
[NonParallelizable] // 64 busy connections would slow the fixtures running beside it on a small machine
public sealed class InboundFloodTests : ApiTest
{
    [Test]
    public async Task Under_a_flood_of_bad_signatures_every_good_request_is_accepted()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, "{}"));

        using var stop = new CancellationTokenSource();
        var sent = 0;
        var body = System.Text.Encoding.UTF8.GetBytes("""{"forged":true}""");
        var flooders = Enumerable.Range(0, 64).Select(async _ =>
        {
            var counts = new Dictionary<HttpStatusCode, int>();
            using var client = Host.Client();
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{endpoint.ConnectorId}") { Content = new ByteArrayContent(body) };
                request.Headers.Add("x-causeloop-signature", new string('a', 64));
                using var response = await client.SendAsync(request, CancellationToken.None);
                counts[response.StatusCode] = counts.GetValueOrDefault(response.StatusCode) + 1;
                Interlocked.Increment(ref sent);
            }

            return counts;
        }).ToList();

        // Good requests go out while the flood is under way, until it has sent well over a thousand forgeries.
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref sent) >= 200), "the flood is under way");
        var good = new List<HttpStatusCode>();
        while (good.Count < 100 || Volatile.Read(ref sent) < 2000)
        {
            using var response = await endpoint.SendAsync(source, $$"""{"good":{{good.Count}}}""");
            good.Add(response.StatusCode);
        }

        await stop.CancelAsync();
        var forged = (await Task.WhenAll(flooders)).SelectMany(c => c).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        TestContext.Out.WriteLine($"good accepted: {good.Count(s => s == HttpStatusCode.Accepted)} of {good.Count}; forged: "
            + string.Join(", ", forged.Select(f => $"{(int)f.Key}: {f.Value}")));
        Assert.Multiple(() =>
        {
            Assert.That(forged.Values.Sum(), Is.GreaterThanOrEqualTo(2000), "the flood really ran");
            Assert.That(forged.Keys, Is.SubsetOf(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
            Assert.That(good, Is.All.EqualTo(HttpStatusCode.Accepted));
        });

        var stored = await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @id", new { id = Guid.Parse(endpoint.ConnectorId) });
        Assert.That(stored, Is.EqualTo(good.Count + 1), "every good request stored, no forgery");

        // The rejection log explained the flood (written off the request path, twice a second) without growing past its bound.
        const string logged = "select count(*) from inbound_rejections where connector_id = @id";
        var connector = new { id = Guid.Parse(endpoint.ConnectorId) };
        await Eventually.HoldsAsync(async () => await Host.ScalarAsync<long>(logged, connector) > 0, "the flood is in the rejection log");
        Assert.That(await Host.ScalarAsync<long>(logged, connector), Is.InRange(1, 100), "at most 100 rejection rows kept per connector");
    }
}
