using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Application.Webhooks;
using Causeloop.Domain.Webhooks;
using Microsoft.Extensions.Options;

namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// The <see cref="EndpointProfile"/> of each webhook with headers or auth that this instance delivers to, kept while it is
/// used: one token cache per webhook shared by all its attempts, one handler per client certificate (made by
/// <see cref="GuardedConnector"/>, so the SSRF guard and the proxy hold for it too). A change of the webhook's headers or
/// auth (seen in what a claimed delivery carries) makes a new profile; the old one, and one unused for
/// <see cref="IdleFor"/>, is retired and its handler disposed once no attempt can still be using it.
/// Webhooks without headers or auth never come here (the sender checks two fields for null).
/// </summary>
public sealed class EndpointProfiles(ISecretProtector protector, IHttpClientFactory clients, OutboundNetwork network, TimeProvider time,
    IOptions<DeliveryOptions> delivery) : IDisposable
{
    public static readonly TimeSpan IdleFor = TimeSpan.FromMinutes(10);

    public const string UnreadableError = "not sent: the webhook's headers or auth cannot be read (the service's secrets key was changed)";
    public const string UnusableCertificateError = "not sent: the webhook's client certificate cannot be loaded";

    private readonly ConcurrentDictionary<Guid, EndpointProfile> _profiles = new();
    private readonly TimeSpan _timeout = delivery.Value.AttemptTimeout;
    private long _lastSweep = Environment.TickCount64;

    /// <summary>The profile for the headers and auth <paramref name="claimed"/> carries. Throws <see cref="EndpointProfileException"/> when they cannot be used.</summary>
    public EndpointProfile For(ClaimedDelivery claimed)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        SweepNow();
        if (_profiles.TryGetValue(claimed.WebhookId, out var known) && known.IsFor(claimed))
        {
            known.LastUsed = Environment.TickCount64;
            return known;
        }

        var made = Make(claimed);
        var kept = _profiles.AddOrUpdate(claimed.WebhookId, made, (_, existing) => existing.IsFor(claimed) ? existing : made);
        if (!ReferenceEquals(kept, made))
        {
            made.Retire(Grace);
        }

        if (known is not null && !ReferenceEquals(known, kept))
        {
            known.Retire(Grace);
        }

        return kept;
    }

    public void Dispose()
    {
        foreach (var profile in _profiles.Values)
        {
            profile.Dispose();
        }

        _profiles.Clear();
    }

    private TimeSpan Grace => _timeout + TimeSpan.FromSeconds(5);

    private EndpointProfile Make(ClaimedDelivery claimed)
    {
        try
        {
            var headers = claimed.Headers is { } stored ? EndpointHeaderValues.Unprotect(stored, protector) : [];
            if (claimed.Auth is not { } authJson)
            {
                return new EndpointProfile(claimed, headers, null, null);
            }

            var auth = StoredEndpointAuth.Parse(authJson);
            var secret = protector.Unprotect(claimed.AuthSecret ?? throw new EndpointProfileException(UnreadableError));
            return auth.Type == EndpointAuth.MutualTls
                ? new EndpointProfile(claimed, headers, null, GuardedConnector.CreateHandler(network, Certificate(auth.CertificatePem!, secret)))
                : new EndpointProfile(claimed, headers,
                    new OAuth2TokenSource(auth, secret, () => clients.CreateClient(SignedHttpSender.ClientName), time, _timeout), null);
        }
        catch (Exception e) when (e is SecretUnreadableException or System.Text.Json.JsonException)
        {
            throw new EndpointProfileException(UnreadableError, e);
        }
    }

    /// <summary>The client certificate with its key, and the intermediates that follow it in the PEM, sent with it.</summary>
    private static SslStreamCertificateContext Certificate(string certificatePem, string privateKeyPem)
    {
        X509Certificate2Collection chain;
        X509Certificate2 leaf;
        try
        {
            chain = ClientCertificate.Chain(certificatePem);
            leaf = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new EndpointProfileException(UnusableCertificateError, e);
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        chain[0].Dispose();
        return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }

    /// <summary>At most once a minute: retire the profiles of webhooks not delivered to for <see cref="IdleFor"/> (deleted, changed, or quiet).</summary>
    private void SweepNow()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastSweep);
        if (now - last < 60_000 || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (id, profile) in _profiles)
        {
            if (now - profile.LastUsed > (long)IdleFor.TotalMilliseconds && _profiles.TryRemove(new KeyValuePair<Guid, EndpointProfile>(id, profile)))
            {
                profile.Retire(Grace);
            }
        }
    }
}
