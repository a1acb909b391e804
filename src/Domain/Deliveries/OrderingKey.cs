namespace Causeloop.Domain.Deliveries;

/// <summary>
/// Ordering keys (SPEC §15): for one webhook, the deliveries of events that share a key are attempted one at a time, in
/// the order the events were accepted. <see cref="MayStart"/> is the rule; the claim carries it out.
/// </summary>
public static class OrderingKey
{
    public const int MaxLength = 200;

    /// <summary>1–200 printable characters (no control characters, no lone surrogates).</summary>
    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && !key.Any(char.IsControl) && !HasLoneSurrogate(key);

    /// <summary>
    /// Whether a delivery may start now, as far as its key is concerned: one without a key always may; one with a key only
    /// when nothing earlier of its key holds the key — no delivery to the same webhook of an earlier event of the key that
    /// is unfinished (pending, in flight or waiting for its retry; succeeded, dead and cancelled ones release it), and no
    /// earlier event of the key still waiting to be fanned out (its delivery may be about to exist).
    /// </summary>
    /// <param name="key">The delivery's ordering key (null: not ordered — no key, or a manual redelivery or recover).</param>
    /// <param name="eventSeq">Its event's place in the order events were accepted.</param>
    /// <param name="unfinishedSiblingSeqs">The event places of the webhook's unfinished deliveries with the same key.</param>
    /// <param name="waitingEventSeqs">The places of events of the same key (and workspace) not yet fanned out.</param>
    public static bool MayStart(string? key, long eventSeq, IEnumerable<long> unfinishedSiblingSeqs, IEnumerable<long> waitingEventSeqs)
    {
        ArgumentNullException.ThrowIfNull(unfinishedSiblingSeqs);
        ArgumentNullException.ThrowIfNull(waitingEventSeqs);
        return key is null || (!unfinishedSiblingSeqs.Any(s => s < eventSeq) && !waitingEventSeqs.Any(s => s < eventSeq));
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }
}
