using Microsoft.Extensions.Options;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Deliveries;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// Records finished attempts, one transaction per batch, in three steps through <see cref="IAttemptRecording"/>: lock the
/// webhooks and deliveries and read them; decide (<see cref="Decide"/>: each webhook's attempts in the order they started,
/// through <see cref="WebhookHealth.AfterAttempt"/>); write the attempts, the deliveries' next states, the webhooks' health
/// and the operational events, and commit.
/// </summary>
public sealed class RecordAttempts(IAttemptStore store, IOptions<DeliveryOptions> settings, TimeProvider time)
{

    /// <summary>The error recorded for an attempt whose answer the database refused to store even once cleaned.</summary>
    public const string UnstorableAnswer = "the endpoint's answer could not be stored";

    private readonly DeliveryRules _rules = settings.Value.Rules();

    /// <summary>
    /// Records the attempts. Text from the endpoints is cleaned first (<see cref="StoredText"/>); if the batch still fails
    /// for a reason other than the database being unavailable, it is split in halves until the attempt that fails is
    /// alone, and that one is recorded as a failed attempt saying its answer could not be stored: one endpoint's answer
    /// never costs the other attempts of the batch (other tenants' among them) their record, nor their endpoints a duplicate.
    /// </summary>
    public async Task<IReadOnlyList<AttemptOutcome>> RecordAsync(IReadOnlyList<FinishedAttempt> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        return await RecordIsolatingAsync([.. attempts.Select(Cleaned)], cancellationToken);
    }

    /// <summary>
    /// What the batch changes, given what was locked: each attempt whose lease is still held moves its delivery on (a
    /// deleted webhook's delivery is cancelled), each webhook's health is carried through its attempts in the order they
    /// started, and every alert becomes an operational event.
    /// </summary>
    public RecordedChanges Decide(IReadOnlyList<FinishedAttempt> attempts, RecordingSnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(snapshot);
        var outcomes = new List<AttemptOutcome>(attempts.Count);
        var webhooks = new List<WebhookHealthChange>();
        var events = new List<OutboxEvent>();
        foreach (var group in attempts.Where(a => snapshot.LeasesHeld.Contains(a.Delivery.Id)).GroupBy(a => a.Delivery.WebhookId))
        {
            if (!snapshot.Webhooks.TryGetValue(group.Key, out var webhook))
            {
                outcomes.AddRange(group.Select(a => new AttemptOutcome(a, Delivery.WebhookGone())));
                continue;
            }

            var health = webhook.Health;
            string? disabled = null;
            foreach (var attempt in group.OrderBy(a => a.Record.StartedAt))
            {
                var started = new DateTimeOffset(DateTime.SpecifyKind(attempt.Record.StartedAt, DateTimeKind.Utc));
                var step = health.AfterAttempt(attempt.Delivery.Attempt, attempt.Record.Result, started, now, _rules);
                outcomes.Add(new AttemptOutcome(attempt, step.Decision));
                events.AddRange(step.Alerts.Select(alert => OperationalEvents.AfterAttempt(alert, attempt, webhook.Url, step.Health, Ids.New(time), now)));
                disabled ??= step.DisabledReason;
                health = step.Health;
            }

            webhooks.Add(new WebhookHealthChange(group.Key, webhook.WorkspaceId, health, disabled));
        }

        return new RecordedChanges(attempts, outcomes, webhooks, events);
    }

    private async Task<IReadOnlyList<AttemptOutcome>> RecordIsolatingAsync(IReadOnlyList<FinishedAttempt> attempts, CancellationToken cancellationToken)
    {
        try
        {
            return await StoreAsync(attempts, cancellationToken);
        }
        catch (Exception e) when (e is not UnavailableException and not OperationCanceledException)
        {
            if (attempts.Count > 1)
            {
                var half = attempts.Count / 2;
                var first = await RecordIsolatingAsync([.. attempts.Take(half)], cancellationToken);
                var second = await RecordIsolatingAsync([.. attempts.Skip(half)], cancellationToken);
                return [.. first, .. second];
            }

            var only = attempts[0];
            return await StoreAsync(
                [only with { Record = only.Record with { Result = new AttemptResult(null, UnstorableAnswer), ResponseBody = null } }],
                cancellationToken);
        }
    }

    private async Task<IReadOnlyList<AttemptOutcome>> StoreAsync(IReadOnlyList<FinishedAttempt> attempts, CancellationToken cancellationToken)
    {
        await using var recording = await store.BeginAsync(cancellationToken);
        var snapshot = await recording.LockAsync(attempts, cancellationToken);
        var now = time.GetUtcNow();
        var changes = Decide(attempts, snapshot, now);
        await recording.WriteAsync(changes, now.UtcDateTime, cancellationToken);
        await recording.CommitAsync(cancellationToken);
        return changes.Outcomes;
    }

    private static FinishedAttempt Cleaned(FinishedAttempt attempt)
    {
        var record = attempt.Record;
        var error = StoredText.Clean(record.Result.Error, StoredText.MaxError);
        var body = StoredText.Clean(record.ResponseBody, AttemptRecord.ResponseBodyLimit);
        return error == record.Result.Error && body == record.ResponseBody
            ? attempt
            : attempt with { Record = record with { Result = record.Result with { Error = error }, ResponseBody = body } };
    }
}
