using Causeloop.Application.Common;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Domain.Deliveries;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Application.Tests.Deliveries;

public sealed class RecordAttemptsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task Text_from_the_endpoint_is_cleaned_before_it_reaches_the_store()
    {
        var store = new FakeStore();
        var recorder = new RecordAttempts(store, Options.Create(new DeliveryOptions()), _clock);
        var attempt = Attempt(error: "request failed: Received an invalid status line: 'HTTP/1.1 200\0'.", body: "a\0b\ud800c");

        await recorder.RecordAsync([attempt], CancellationToken.None);

        var stored = store.Recorded.Single();
        Assert.Multiple(() =>
        {
            Assert.That(stored.Record.Result.Error, Is.EqualTo("request failed: Received an invalid status line: 'HTTP/1.1 200'."));
            Assert.That(stored.Record.ResponseBody, Is.EqualTo("ab\uFFFDc"));
        });
    }

    [Test]
    public async Task A_batch_the_store_refuses_is_split_until_the_refused_attempt_is_alone_and_that_one_is_recorded_as_failed()
    {
        var attempts = Enumerable.Range(0, 37).Select(_ => Attempt()).ToArray();
        var poison = attempts[23].Delivery.Id;
        var store = new FakeStore { Refuses = batch => batch.Any(a => a.Delivery.Id == poison && a.Record.Result.Error != RecordAttempts.UnstorableAnswer) };
        var recorder = new RecordAttempts(store, Options.Create(new DeliveryOptions()), _clock);

        var outcomes = await recorder.RecordAsync(attempts, CancellationToken.None);

        var poisonRecord = store.Recorded.Single(a => a.Delivery.Id == poison);
        Assert.Multiple(() =>
        {
            Assert.That(store.Recorded.Select(a => a.Delivery.Id), Is.EquivalentTo(attempts.Select(a => a.Delivery.Id)), "every attempt recorded once");
            Assert.That(outcomes, Has.Count.EqualTo(attempts.Length));
            Assert.That(poisonRecord.Record.Result.StatusCode, Is.Null);
            Assert.That(poisonRecord.Record.Result.Error, Is.EqualTo(RecordAttempts.UnstorableAnswer));
            Assert.That(outcomes.Single(o => o.Attempt.Delivery.Id == poison).Decision.Status, Is.EqualTo(DeliveryStatus.Failed), "retried on the schedule");
            Assert.That(store.Calls, Is.LessThanOrEqualTo(2 * (int)Math.Ceiling(Math.Log2(attempts.Length)) + 2), "bisected, not one call per attempt");
        });
    }

    [Test]
    public void An_unavailable_database_is_not_split_batch_by_batch()
    {
        var store = new FakeStore { Refuses = _ => throw new UnavailableException("down") };
        var recorder = new RecordAttempts(store, Options.Create(new DeliveryOptions()), _clock);
        Assert.ThrowsAsync<UnavailableException>(() => recorder.RecordAsync([.. Enumerable.Range(0, 64).Select(_ => Attempt())], CancellationToken.None));
        Assert.That(store.Calls, Is.EqualTo(1));
    }

    [Test]
    public void A_deleted_webhooks_delivery_is_cancelled_whatever_the_answer()
    {
        var recorder = new RecordAttempts(new FakeStore(), Options.Create(new DeliveryOptions()), _clock);
        var attempt = Attempt(error: null) is var a ? a with { Record = a.Record with { Result = new AttemptResult(200, null) } } : null!;
        var changes = recorder.Decide([attempt], new RecordingSnapshot(new Dictionary<Guid, WebhookSnapshot>(), new HashSet<Guid> { attempt.Delivery.Id }), _clock.GetUtcNow());
        Assert.Multiple(() =>
        {
            Assert.That(changes.Outcomes.Single().Decision.Status, Is.EqualTo(DeliveryStatus.Cancelled));
            Assert.That(changes.Webhooks, Is.Empty);
            Assert.That(changes.Events, Is.Empty);
        });
    }

    [Test]
    public void An_attempt_whose_lease_was_taken_over_is_logged_but_moves_nothing()
    {
        var recorder = new RecordAttempts(new FakeStore(), Options.Create(new DeliveryOptions()), _clock);
        var attempt = Attempt();
        var snapshot = new RecordingSnapshot(
            new Dictionary<Guid, WebhookSnapshot> { [attempt.Delivery.WebhookId] = new(attempt.Delivery.WorkspaceId, WebhookHealth.Healthy, "https://example.com/h") },
            new HashSet<Guid>());
        var changes = recorder.Decide([attempt], snapshot, _clock.GetUtcNow());
        Assert.Multiple(() =>
        {
            Assert.That(changes.Attempts, Is.EqualTo(new[] { attempt }), "the attempt happened: it is logged");
            Assert.That(changes.Outcomes, Is.Empty, "its delivery is the new lease holder's to move on");
            Assert.That(changes.Webhooks, Is.Empty);
        });
    }

    [Test]
    public void In_one_batch_each_webhooks_attempts_carry_its_health_in_the_order_they_started()
    {
        var options = new DeliveryOptions { FailingAlertAfter = 2, RetryJitter = 0 };
        var recorder = new RecordAttempts(new FakeStore(), Options.Create(options), _clock);
        var webhook = Guid.NewGuid();
        var start = _clock.GetUtcNow().UtcDateTime;
        FinishedAttempt At(int seconds, int? status) =>
            new(new ClaimedDelivery { Id = Guid.NewGuid(), WorkspaceId = Guid.Empty, WebhookId = webhook, Attempt = 1, LeaseToken = Guid.NewGuid() },
                new AttemptRecord(start.AddSeconds(seconds), 5, new AttemptResult(status, status is null ? "timeout" : null), null));

        // Given out of order: fail, success, fail, fail (by start time).
        FinishedAttempt[] attempts = [At(3, 503), At(0, 500), At(2, null), At(1, 200)];
        var snapshot = new RecordingSnapshot(
            new Dictionary<Guid, WebhookSnapshot> { [webhook] = new(Guid.Empty, WebhookHealth.Healthy, "https://example.com/h") },
            attempts.Select(a => a.Delivery.Id).ToHashSet());
        var changes = recorder.Decide(attempts, snapshot, _clock.GetUtcNow());
        var health = changes.Webhooks.Single().Health;
        Assert.Multiple(() =>
        {
            Assert.That(health.ConsecutiveFailures, Is.EqualTo(2), "the success at 1 s ended the first streak");
            Assert.That(health.FailingSince, Is.EqualTo(new DateTimeOffset(start.AddSeconds(2), TimeSpan.Zero)), "the new streak began at 2 s");
            Assert.That(changes.Events.Select(e => e.Type), Is.EqualTo(new[] { EndpointAlerts.Failing }), "the 2nd consecutive failure alerts, once");
            Assert.That(changes.Events.Single().SubjectWebhookId, Is.EqualTo(webhook), "about the webhook, so never delivered to it");
            Assert.That(attempts.Select(a => changes.Outcomes.Single(o => o.Attempt == a).Decision.Status),
                Is.EqualTo(new[] { DeliveryStatus.Failed, DeliveryStatus.Failed, DeliveryStatus.Failed, DeliveryStatus.Succeeded }).AsCollection);
        });
    }

    private FinishedAttempt Attempt(string? error = "could not connect", string? body = null)
    {
        var delivery = new ClaimedDelivery
        {
            Id = Guid.NewGuid(), WorkspaceId = Guid.NewGuid(), WebhookId = Guid.NewGuid(), EventId = Guid.NewGuid(),
            EventType = "sync.completed", Attempt = 1, LeaseToken = Guid.NewGuid(), Url = "https://example.com/h",
        };
        return new FinishedAttempt(delivery, new AttemptRecord(_clock.GetUtcNow().UtcDateTime, 5, new AttemptResult(null, error), body));
    }

    /// <summary>Keeps what it is given; <see cref="Refuses"/> decides which batches fail as a refused write would.</summary>
    private sealed class FakeStore : IAttemptStore, IAttemptRecording
    {
        private IReadOnlyList<FinishedAttempt> _pending = [];

        public Func<IReadOnlyList<FinishedAttempt>, bool> Refuses { get; init; } = _ => false;

        public List<FinishedAttempt> Recorded { get; } = [];

        public int Calls { get; private set; }

        public Task<IAttemptRecording> BeginAsync(CancellationToken cancellationToken) => Task.FromResult<IAttemptRecording>(this);

        public Task<RecordingSnapshot> LockAsync(IReadOnlyList<FinishedAttempt> attempts, CancellationToken cancellationToken) =>
            Task.FromResult(new RecordingSnapshot(
                attempts.Select(a => a.Delivery).DistinctBy(d => d.WebhookId).ToDictionary(d => d.WebhookId, d => new WebhookSnapshot(d.WorkspaceId, WebhookHealth.Healthy, d.Url)),
                attempts.Select(a => a.Delivery.Id).ToHashSet()));

        public Task WriteAsync(RecordedChanges changes, DateTime now, CancellationToken cancellationToken)
        {
            Calls++;
            if (Refuses(changes.Attempts))
            {
                throw new InvalidOperationException("22021: invalid byte sequence for encoding \"UTF8\": 0x00");
            }

            _pending = changes.Attempts;
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            Recorded.AddRange(_pending);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
