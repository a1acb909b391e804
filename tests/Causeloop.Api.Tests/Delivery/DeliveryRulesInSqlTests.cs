using Causeloop.Api.Tests.Support;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Domain.Deliveries;
using Causeloop.Domain.Webhooks;
using Causeloop.Infrastructure.Delivery;

namespace Causeloop.Api.Tests.Delivery;

/// <summary>What the SQL filters for speed is held to the domain rule it stands for.</summary>
public sealed class DeliveryRulesInSqlTests : ApiTest
{
    private static readonly string[][] Subscriptions =
    [
        ["*"],
        ["sync.completed"],
        ["issue.ingested", "pattern.detected"],
        ["webhook.test"],
        ["pattern.detected", "sync.completed", "issue.ingested"],
    ];

    private static readonly string[] EventTypes = ["sync.completed", "issue.ingested", "pattern.detected", "webhook.test", "other.type", "*"];

    [Test]
    public async Task The_fan_out_subscription_filter_matches_exactly_what_the_domain_rule_matches()
    {
        foreach (var subscribed in Subscriptions)
        {
            foreach (var type in EventTypes)
            {
                var inSql = await Host.ScalarAsync<bool>(
                    $"select {DeliveryWorkStore.SubscribedSql} from (select @types::text[] as event_types) w, (select @type::text as type) e",
                    new { types = subscribed, type });
                Assert.That(inSql, Is.EqualTo(EventTypeFilter.Matches(subscribed, type)), $"[{string.Join(", ", subscribed)}] and {type}");
            }
        }
    }
}

/// <summary>The recording rules of the pipeline, decided in the application from the domain's state machine.</summary>
public sealed class RecordAttemptsTests
{
    private static readonly DateTime Start = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Guid Webhook = Guid.CreateVersion7();
    private readonly RecordAttempts _record = new(null!, new DeliveryOptions { RetryJitter = 0 }, TimeProvider.System);

    private static FinishedAttempt Attempt(Guid webhook, int? status, int secondsAfterStart) => new(
        new ClaimedDelivery { Id = Guid.CreateVersion7(), WebhookId = webhook, Attempt = 1 },
        new AttemptRecord(Start.AddSeconds(secondsAfterStart), 5, new AttemptResult(status, status is null ? "timeout" : null), null));

    [Test]
    public void A_deleted_webhooks_delivery_is_cancelled_whatever_the_answer()
    {
        var outcomes = _record.Decide([Attempt(Webhook, 200, 0)], new Dictionary<Guid, DateTime?>(), Start);
        Assert.That(outcomes.Single().Decision.Status, Is.EqualTo(DeliveryStatus.Cancelled));
    }

    [Test]
    public void A_webhook_failing_for_longer_than_allowed_is_disabled_and_its_delivery_dead()
    {
        var since = Start - Causeloop.Domain.Deliveries.Delivery.DefaultDisableAfter - TimeSpan.FromMinutes(1);
        var outcomes = _record.Decide([Attempt(Webhook, 500, 0)], new Dictionary<Guid, DateTime?> { [Webhook] = since }, Start);
        var changes = RecordAttempts.Consequences(outcomes);
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Single().Decision.Status, Is.EqualTo(DeliveryStatus.Dead));
            Assert.That(changes.Disabled.Select(d => d.WebhookId), Is.EqualTo(new[] { Webhook }));
        });
    }

    [Test]
    public void In_one_batch_a_later_success_ends_the_streak_and_failures_after_it_begin_a_new_one()
    {
        var other = Guid.CreateVersion7();
        FinishedAttempt[] attempts = [Attempt(Webhook, 500, 0), Attempt(Webhook, 200, 1), Attempt(Webhook, 503, 2), Attempt(Webhook, null, 3), Attempt(other, 200, 0)];
        var outcomes = _record.Decide(
            attempts,
            new Dictionary<Guid, DateTime?> { [Webhook] = null, [other] = Start.AddDays(-1) },
            Start);
        var changes = RecordAttempts.Consequences(outcomes);
        Assert.Multiple(() =>
        {
            Assert.That(changes.StreaksEnded, Is.EquivalentTo(new[] { Webhook, other }));
            Assert.That(changes.StreaksBegun, Is.EqualTo(new[] { (Webhook, Start.AddSeconds(2)) }));
            Assert.That(changes.Disabled, Is.Empty);
            Assert.That(attempts.Select(a => outcomes.Single(o => o.Attempt == a).Decision.Status),
                Is.EqualTo(new[] { DeliveryStatus.Failed, DeliveryStatus.Succeeded, DeliveryStatus.Failed, DeliveryStatus.Failed, DeliveryStatus.Succeeded }).AsCollection);
        });
    }
}
