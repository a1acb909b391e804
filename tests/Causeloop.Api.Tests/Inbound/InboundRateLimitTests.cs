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

public sealed class UnknownConnectorRateLimitTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Inbound:UnknownConnectorRateLimitPerSecond"] = "5",
    };

    [Test]
    public async Task Random_connector_ids_share_one_global_bucket_and_are_limited()
    {
        using var source = Host.Client();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{Guid.NewGuid()}") { Content = new StringContent("{}") };
            request.Headers.Add("x-causeloop-signature", new string('0', 64));
            return await source.SendAsync(request);
        }));
        Assert.Multiple(() =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized), Is.InRange(1, 5));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.GreaterThanOrEqualTo(15));
        });
    }
}
