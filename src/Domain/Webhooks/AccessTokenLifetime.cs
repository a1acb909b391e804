namespace Causeloop.Domain.Webhooks;

/// <summary>
/// How long an OAuth 2.0 access token is reused (SPEC §17): until <see cref="RenewalMargin"/> before it expires, so no
/// attempt sends a token about to lapse on the way; a token whose answer gave no <c>expires_in</c> until the endpoint
/// refuses it (a 401 fetches a new one). One that lives no longer than the margin serves only the attempt that fetched it.
/// </summary>
public static class AccessTokenLifetime
{
    public static readonly TimeSpan RenewalMargin = TimeSpan.FromSeconds(60);

    /// <summary>Until when a token obtained at <paramref name="obtainedAt"/> may be reused; null: until it is refused.</summary>
    public static DateTimeOffset? ReusableUntil(DateTimeOffset obtainedAt, TimeSpan? expiresIn) =>
        expiresIn is { } lifetime ? obtainedAt + lifetime - RenewalMargin : null;

    public static bool IsReusable(DateTimeOffset? reusableUntil, DateTimeOffset now) => reusableUntil is not { } until || now < until;
}
