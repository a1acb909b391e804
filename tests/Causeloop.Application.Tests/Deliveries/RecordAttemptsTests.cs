using Causeloop.Application.Common;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Domain.Deliveries;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Application.Tests.Deliveries;

public sealed class RecordAttemptsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task Text_from_the_endpoint_is_cleaned_before_it_reaches_the_store()
    {
        var store = new FakeStore();
        var recorder = new RecordAttempts(store, new DeliveryOptions(), _clock);
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
        var recorder = new RecordAttempts(store, new DeliveryOptions(), _clock);

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
        var recorder = new RecordAttempts(store, new DeliveryOptions(), _clock);
        Assert.ThrowsAsync<UnavailableException>(() => recorder.RecordAsync([.. Enumerable.Range(0, 64).Select(_ => Attempt())], CancellationToken.None));
        Assert.That(store.Calls, Is.EqualTo(1));
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
    private sealed class FakeStore : IDeliveryWorkStore
    {
        public Func<IReadOnlyList<FinishedAttempt>, bool> Refuses { get; init; } = _ => false;

        public List<FinishedAttempt> Recorded { get; } = [];

        public int Calls { get; private set; }

        public Task<int> FanOutAsync(DateTime now, int batch, CancellationToken cancellationToken) => Task.FromResult(0);

        public Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(
            DateTime now, int limit, int perEndpoint, EndpointLimits endpointLimits, DateTime leaseUntil, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ClaimedDelivery>>([]);

        public Task<IReadOnlyList<AttemptOutcome>> RecordAsync(
            IReadOnlyList<FinishedAttempt> attempts,
            Func<IReadOnlyDictionary<Guid, WebhookState>, IReadOnlyList<AttemptOutcome>> decide,
            Func<IReadOnlyList<AttemptOutcome>, WebhookChanges> consequences,
            DateTime now,
            CancellationToken cancellationToken)
        {
            Calls++;
            if (Refuses(attempts))
            {
                throw new InvalidOperationException("22021: invalid byte sequence for encoding \"UTF8\": 0x00");
            }

            var outcomes = decide(attempts.ToDictionary(a => a.Delivery.WebhookId, _ => WebhookState.Since(null)));
            Recorded.AddRange(attempts);
            _ = consequences(outcomes);
            return Task.FromResult(outcomes);
        }
    }
}
