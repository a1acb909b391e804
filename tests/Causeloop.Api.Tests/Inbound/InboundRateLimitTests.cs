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
}
