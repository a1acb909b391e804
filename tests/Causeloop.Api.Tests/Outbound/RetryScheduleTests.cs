using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>The default, persisted schedule and the five-day disable, on a fake clock.</summary>
public sealed class RetryScheduleTests : ApiTest
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Test]
    public async Task Failures_follow_5s_5m_30m_with_jitter_and_a_webhook_failing_for_5_days_is_disabled()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(Results.StatusCode(500));
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();

        var expected = new[] { TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30) };
        for (var attempt = 1; attempt <= expected.Length; attempt++)
        {
            var delivery = await WaitForAttemptsAsync(tenant, webhookId, attempt);
            Assert.That(delivery["status"]!.GetValue<string>(), Is.EqualTo("failed"));
            var started = delivery["attempts"]![attempt - 1]!["started_at"]!.GetValue<DateTime>();
            var next = delivery["next_attempt_at"]!.GetValue<DateTime>();
            Assert.That(next - started, Is.InRange(expected[attempt - 1] * 0.8, expected[attempt - 1] * 1.2), $"after attempt {attempt}");
            _clock.Advance(expected[attempt - 1] * 1.25);
        }

        // Attempt 4 is due; every delivery has failed since the first attempt. Five days on, the next failure disables.
        await WaitForAttemptsAsync(tenant, webhookId, 4);
        var webhook = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}")).OkAsync();
        Assert.That(webhook["enabled"]!.GetValue<bool>(), Is.True);

        _clock.Advance(TimeSpan.FromDays(5));
        var last = await WaitForAttemptsAsync(tenant, webhookId, 5);
        webhook = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(last["status"]!.GetValue<string>(), Is.EqualTo("dead"));
            Assert.That(webhook["enabled"]!.GetValue<bool>(), Is.False);
            Assert.That(webhook["disabled_reason"]!.GetValue<string>(), Does.Contain("failed since"));
        });
    }

    [Test]
    public async Task Retry_after_on_503_sets_the_next_attempt_exactly()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult<IResult>(new StatusWithRetryAfter(503, "120"));
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        var delivery = await WaitForAttemptsAsync(tenant, webhookId, 1);
        var started = delivery["attempts"]![0]!["started_at"]!.GetValue<DateTime>();
        Assert.That(delivery["next_attempt_at"]!.GetValue<DateTime>() - started, Is.EqualTo(TimeSpan.FromSeconds(120)).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public async Task A_429_with_retry_after_1_on_every_attempt_gets_the_whole_default_schedule()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult<IResult>(new StatusWithRetryAfter(429, "1"));
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();

        // The schedule is the floor: Retry-After: 1 never shortens a delay, so the delivery lives through all eight attempts.
        var expected = new[]
        {
            TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
            TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
        };
        for (var attempt = 1; attempt <= expected.Length; attempt++)
        {
            var delivery = await WaitForAttemptsAsync(tenant, webhookId, attempt);
            Assert.That(delivery["status"]!.GetValue<string>(), Is.EqualTo("failed"), $"after attempt {attempt}");
            var started = delivery["attempts"]![attempt - 1]!["started_at"]!.GetValue<DateTime>();
            var next = delivery["next_attempt_at"]!.GetValue<DateTime>();
            Assert.That(next - started, Is.InRange(expected[attempt - 1] * 0.8, expected[attempt - 1] * 1.2), $"after attempt {attempt}");
            _clock.Advance(expected[attempt - 1] * 1.25);
        }

        var last = await WaitForAttemptsAsync(tenant, webhookId, expected.Length + 1);
        Assert.Multiple(() =>
        {
            Assert.That(last["status"]!.GetValue<string>(), Is.EqualTo("dead"));
            Assert.That(receiver.Received, Has.Count.EqualTo(expected.Length + 1), "one request per scheduled attempt");
        });
    }

    private static async Task<JsonNode> WaitForAttemptsAsync(Tenant tenant, string webhookId, int count)
    {
        JsonNode? delivery = null;
        await Eventually.HoldsAsync(async () =>
        {
            var list = await tenant.DeliveriesAsync(webhookId);
            if (list.Count == 0)
            {
                return false;
            }

            delivery = await tenant.DeliveryAsync(webhookId, Webhooks.WebhookApi.Id(list[0]!));
            return delivery["attempts"]!.AsArray().Count >= count && delivery["status"]!.GetValue<string>() != "in_flight";
        }, $"{count} attempt(s) are recorded");
        return delivery!;
    }

    private sealed class StatusWithRetryAfter(int status, string retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers.RetryAfter = retryAfter;
            return Task.CompletedTask;
        }
    }
}
