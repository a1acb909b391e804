namespace Causeloop.Domain.Webhooks;

/// <summary>
/// Which webhooks of its workspace an event is delivered to (SPEC §6, §11): a test send to its one target only, enabled or
/// not; any other event to every enabled webhook subscribed to its type (<see cref="EventTypeFilter.Matches"/>:
/// <c>"*"</c> leaves out the operational types), and never to the webhook an operational event is about.
/// </summary>
public static class Subscription
{
    public static bool Delivers(Subscriber webhook, OutgoingEvent outgoing)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(outgoing);
        if (outgoing.TargetWebhookId is { } target)
        {
            return webhook.Id == target;
        }

        return webhook.Enabled && EventTypeFilter.Matches(webhook.EventTypes, outgoing.Type) && webhook.Id != outgoing.SubjectWebhookId;
    }

    /// <summary>
    /// The stored subscriptions that can match any of <paramref name="eventTypes"/>: those naming one of them, or
    /// <c>"*"</c>. The fan-out reads only webhooks holding one of these (and test targets); <see cref="Delivers"/> decides.
    /// </summary>
    public static string[] CandidateTypes(IEnumerable<string> eventTypes) => [.. eventTypes.Append(EventType.Wildcard).Distinct(StringComparer.Ordinal)];
}
