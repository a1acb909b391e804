using System.Net;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Inbound;

public sealed class InboundRateLimitTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:RateLimitPerSecond"] = "5",
    };

    [Test]
    public async Task Past_the_per_connector_limit_requests_get_429_with_retry_after_and_other_connectors_are_unaffected()
    {
        var busy = await InboundEndpoint.CreateAsync(Host);
        var quiet = await InboundEndpoint.CreateAsync(Host, busy.Tenant);
        using var source = Host.Client();
        await WarmUpAsync(source, busy, quiet);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => busy.SendAsync(source, $$"""{"n":{{i}}}""")));
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Accepted), Is.InRange(1, 10));
            Assert.That(limited, Is.Not.Empty);
            Assert.That(limited.All(r => r.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }), Is.True);
        });
        await limited[0].ProblemAsync(HttpStatusCode.TooManyRequests);
        await InboundEndpoint.AcceptedAsync(await quiet.SendAsync(source, "{}"));

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await InboundEndpoint.AcceptedAsync(await busy.SendAsync(source, "{}"));
    }

    [Test]
    public async Task Other_spellings_of_a_connector_id_share_its_bucket()
    {
        var endpoint = await InboundEndpoint.CreateAsync(Host);
        using var source = Host.Client();
        await WarmUpAsync(source, endpoint);
        var id = Guid.Parse(endpoint.ConnectorId);
        string[] spellings = [id.ToString(), id.ToString().ToUpperInvariant(), id.ToString("N"), id.ToString("B")];

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (endpoint with { ConnectorId = spellings[i % spellings.Length] }).SendAsync(source, $$"""{"n":{{i}}}""")));
        Assert.Multiple(() =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.GreaterThan(0));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Accepted), Is.InRange(1, 5), "one bucket of five, not one per spelling");
        });
        await Task.Delay(TimeSpan.FromSeconds(1.2));
    }

    /// <summary>Makes the connectors known to this instance (first requests count against the unknown-id bucket), then waits for a fresh window.</summary>
    private static async Task WarmUpAsync(HttpClient source, params InboundEndpoint[] endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            await InboundEndpoint.AcceptedAsync(await endpoint.SendAsync(source, "{}"));
        }

        await Task.Delay(TimeSpan.FromSeconds(1.2));
    }
}

[NonParallelizable] // one-second windows: starved timers under a busy test process would skew the counts
public sealed class RejectedRequestRateLimitTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:RateLimitPerSecond"] = "5",
        ["Causeloop:Inbound:RejectedPerAddressPerSecond"] = "5",
    };

    [Test]
    public async Task Random_connector_ids_are_limited_per_source_address()
    {
        using var source = Host.Client();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SendForgedAsync(source, Guid.NewGuid().ToString())));
        Assert.Multiple(() =>
        {
            // Five per one-second window; a burst may straddle two windows.
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized), Is.InRange(1, 10));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.GreaterThanOrEqualTo(10));
        });
        await Task.Delay(TimeSpan.FromSeconds(1.2));
    }

    [Test]
    public async Task Forged_requests_at_a_connector_never_use_up_its_limit()
    {
        var endpoint = await InboundEndpoint.CreateAsync(Host);
        using var source = Host.Client();
        await InboundEndpoint.AcceptedAsync(await endpoint.SendAsync(source, "{}"));
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        // Ten times the connector's limit in forgeries, then its own requests within the same second.
        var forged = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SendForgedAsync(source, endpoint.ConnectorId)));
        var good = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            good.Add(await endpoint.SendAsync(source, $$"""{"good":{{i}}}"""));
        }

        Assert.Multiple(() =>
        {
            Assert.That(forged.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.GreaterThanOrEqualTo(40), "forgeries are limited per address (five a window; a burst may straddle two)");
            Assert.That(forged.All(r => r.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests), Is.True);
            Assert.That(good.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Accepted), "the connector's own limit is untouched");
        });
        await Task.Delay(TimeSpan.FromSeconds(1.2));
    }

    private static async Task<HttpResponseMessage> SendForgedAsync(HttpClient source, string connectorId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{connectorId}") { Content = new StringContent("{}") };
        request.Headers.Add("x-causeloop-signature", new string('0', 64));
        return await source.SendAsync(request);
    }
}

/// <summary>§5 of the hostile run: a flood of forgeries, with the default limits, does not stop good requests.</summary>
[NonParallelizable] // 64 busy connections in the test process would starve the timers other fixtures' rate limits run on
public sealed class InboundFloodTests : ApiTest
{
    [Test]
    public async Task Under_a_flood_of_bad_signatures_every_good_request_is_accepted()
    {
        var endpoint = await InboundEndpoint.CreateAsync(Host);
        using var source = Host.Client();
        await InboundEndpoint.AcceptedAsync(await endpoint.SendAsync(source, "{}"));

        using var stop = new CancellationTokenSource();
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
            }

            return counts;
        }).ToList();

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var good = new List<HttpStatusCode>();
        var until = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < until)
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
            Assert.That(forged.Values.Sum(), Is.GreaterThan(1000), "the flood really ran");
            Assert.That(forged.Keys, Is.SubsetOf(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
            Assert.That(good, Is.Not.Empty);
            Assert.That(good, Is.All.EqualTo(HttpStatusCode.Accepted));
        });

        var stored = await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @id", new { id = Guid.Parse(endpoint.ConnectorId) });
        Assert.That(stored, Is.EqualTo(good.Count + 1), "every good request stored, no forgery");

        // The rejection log explained the flood without growing past its bound.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var logged = await Host.ScalarAsync<long>("select count(*) from inbound_rejections where connector_id = @id", new { id = Guid.Parse(endpoint.ConnectorId) });
        Assert.That(logged, Is.InRange(1, 100), "at most 100 rejection rows kept per connector");
    }
}
