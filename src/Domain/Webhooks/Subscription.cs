namespace Causeloop.Domain.Webhooks;

/// <summary>
/// Which webhooks of its workspace an event is delivered to (SPEC §6, §11, §16): a test send to its one target only,
/// enabled or not; any other event to every enabled webhook subscribed to its type (<see cref="EventTypeFilter.Matches"/>:
/// <c>"*"</c> leaves out the operational types) whose payload filter, if it has one, matches the envelope, and never to
/// the webhook an operational event is about.
/// </summary>
public static class Subscription
{
    /// <param name="webhook">The candidate webhook.</param>
    /// <param name="outgoing">The event.</param>
    /// <param name="envelope">The event's envelope, read only when the webhook has a filter to match it against.</param>
    public static bool Delivers(Subscriber webhook, OutgoingEvent outgoing, Func<System.Text.Json.JsonElement>? envelope = null)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(outgoing);
        if (outgoing.TargetWebhookId is { } target)
        {
            return webhook.Id == target;
        }

        if (!webhook.Enabled || !EventTypeFilter.Matches(webhook.EventTypes, outgoing.Type) || webhook.Id == outgoing.SubjectWebhookId)
        {
            return false;
        }

        return webhook.Filter is not { } filter
            || filter.Matches((envelope ?? throw new ArgumentException("A webhook with a filter needs the envelope.", nameof(envelope)))());
    }

    /// <summary>
    /// The stored subscriptions that can match any of <paramref name="eventTypes"/>: those naming one of them, or
    /// <c>"*"</c>. The fan-out reads only webhooks holding one of these (and test targets); <see cref="Delivers"/> decides.
    /// </summary>
    public static string[] CandidateTypes(IEnumerable<string> eventTypes) => [.. eventTypes.Append(EventType.Wildcard).Distinct(StringComparer.Ordinal)];
}
