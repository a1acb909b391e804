namespace Causeloop.Domain.Signing;

/// <summary>
/// Which secrets are live: the current one, and the previous one until its overlap ends. Newest first:
/// outbound signs <c>x-causeloop-signature</c> with the first and <c>webhook-signature</c> with each;
/// inbound accepts any.
/// </summary>
public static class LiveSecrets
{
    /// <param name="current">The current secret string.</param>
    /// <param name="previousExpiresAt">When the rotated-out secret stops verifying (null: there is none).</param>
    /// <param name="now">The time of the check.</param>
    /// <param name="previous">Reads the rotated-out secret; called only while it is live.</param>
    public static IReadOnlyList<SigningSecret> Of(string current, DateTime? previousExpiresAt, DateTime now, Func<string>? previous)
    {
        var secrets = new List<SigningSecret>(2) { SigningSecret.FromStored(current) };
        if (previous is not null && previousExpiresAt > now)
        {
            secrets.Add(SigningSecret.FromStored(previous()));
        }

        return secrets;
    }
}
