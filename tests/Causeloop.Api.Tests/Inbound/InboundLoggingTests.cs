using System.Net;
using System.Text;
using Causeloop.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// Refusals the service gives as designed (the inbound 401, 413, 429) are logged at Debug, so a flood of them is not
/// a flood of logs; a real failure stays visible at Information or above.
/// </summary>
public sealed class InboundLoggingTests : ApiTest
{
    // A secret as another secrets key would have stored it: the handler cannot read it (a real failure).
    private static readonly byte[] ForeignSecret = [1, .. new byte[12], .. "whsec_other"u8.ToArray(), .. new byte[16]];

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // Debug for the service's own categories, so the test sees that refusals are logged there, not dropped.
        ["Logging:LogLevel:Causeloop"] = "Debug",
        ["Causeloop:Inbound:RateLimitPerSecond"] = "1",
        ["Causeloop:Inbound:MaxBodyBytes"] = "1024",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Test]
    public async Task Forged_rate_limited_and_oversized_requests_are_logged_at_debug_and_nothing_louder()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, "{}"));
        var from = Host.Logs.All.Count;

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add((await endpoint.SendAsync(source, $$"""{"n":{{i}}}""", secret: "whsec_forged")).StatusCode);
            answers.Add((await (endpoint with { ConnectorId = Guid.NewGuid().ToString() }).SendAsync(source, "{}")).StatusCode);
            answers.Add((await endpoint.SendAsync(source, $$"""{"limited":{{i}}}""")).StatusCode);
        }

        answers.Add((await endpoint.SendAsync(source, Encoding.UTF8.GetBytes("[" + new string(' ', 2048) + "]"))).StatusCode);
        var logged = Host.Logs.All.Skip(from).ToList();
        var handled = logged.Where(e => e.Message.StartsWith("ReceiveInboundEventCommand", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(answers.Distinct(), Is.EquivalentTo(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.RequestEntityTooLarge }));
            Assert.That(handled, Has.Count.GreaterThanOrEqualTo(answers.Count), "each is logged");
            Assert.That(handled.Select(e => e.Level), Is.All.EqualTo(LogLevel.Debug));
            Assert.That(logged.Where(e => e.Level >= LogLevel.Information), Is.Empty, "nothing louder than Debug, from any category");
        });
    }

    [Test]
    public async Task A_request_that_fails_for_a_reason_of_the_service_is_logged_at_information()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        await Host.ExecuteAsync("update webhooks set secret = @secret where id = @id", new { secret = ForeignSecret, id = Guid.Parse(endpoint.WebhookId) });
        Host.Services.GetRequiredService<Application.Abstractions.IInboundEndpoints>().Invalidate();
        using var source = Host.Client();
        var from = Host.Logs.All.Count;

        await (await endpoint.SendAsync(source, "{}")).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        var failed = Host.Logs.All.Skip(from).Where(e => e.Message.StartsWith("ReceiveInboundEventCommand", StringComparison.Ordinal)).ToList();
        Assert.That(failed.Where(e => e.Level >= LogLevel.Information && e.Message.Contains("SecretUnreadableException", StringComparison.Ordinal)), Is.Not.Empty,
            string.Join("\n", failed));
    }
}
