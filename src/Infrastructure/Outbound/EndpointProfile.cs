using Causeloop.Application.Deliveries.Pipeline;

namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// What one webhook's attempts need beyond the signed request (SPEC §17), decrypted and prepared once per instance for the
/// stored values it was made from: its static headers, its token source (oauth2_client_credentials) or its own client
/// presenting its certificate (mtls). Made and kept by <see cref="EndpointProfiles"/>.
/// </summary>
public sealed class EndpointProfile
{
    private readonly byte[]? _headers;
    private readonly string? _auth;
    private readonly byte[]? _authSecret;
    private readonly SocketsHttpHandler? _handler;
    private int _retired;

    internal EndpointProfile(ClaimedDelivery source, KeyValuePair<string, string>[] headers, OAuth2TokenSource? tokens, SocketsHttpHandler? handler)
    {
        _headers = source.Headers;
        _auth = source.Auth;
        _authSecret = source.AuthSecret;
        Headers = headers;
        Tokens = tokens;
        _handler = handler;
        Client = handler is null ? null : new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The static headers, name → value, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The bearer token source; null without oauth2_client_credentials.</summary>
    public OAuth2TokenSource? Tokens { get; }

    /// <summary>The client that presents the webhook's certificate; null without mtls (the shared client is used).</summary>
    public HttpClient? Client { get; }

    internal long LastUsed { get; set; } = Environment.TickCount64;

    /// <summary>Whether this profile was made from what <paramref name="delivery"/> carries (a change of headers or auth makes a new one).</summary>
    internal bool IsFor(ClaimedDelivery delivery) =>
        string.Equals(_auth, delivery.Auth, StringComparison.Ordinal) && Same(_authSecret, delivery.AuthSecret) && Same(_headers, delivery.Headers);

    /// <summary>Disposes its client once no attempt can still be using it (after <paramref name="grace"/>: the attempt timeout and a margin).</summary>
    internal void Retire(TimeSpan grace)
    {
        if (_handler is null || Interlocked.Exchange(ref _retired, 1) == 1)
        {
            return;
        }

        _ = Task.Delay(grace).ContinueWith(_ => Dispose(), TaskScheduler.Default);
    }

    internal void Dispose()
    {
        Client?.Dispose();
        _handler?.Dispose();
    }

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
