using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Causeloop.Application.Webhooks;
using Causeloop.Domain.Webhooks;
using Polly.Timeout;

namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// The bearer token of one webhook's <c>oauth2_client_credentials</c> on this instance (SPEC §17): fetched with the client
/// credentials grant (RFC 6749 §4.4) through the same guarded client as deliveries (SSRF guard, egress proxy, no redirects),
/// shared by every attempt of the webhook, reused as <see cref="AccessTokenLifetime"/> says. One fetch at a time: attempts
/// that need a token while one is being fetched wait for that one. A failed fetch is not kept: the next attempt fetches
/// again. Errors never carry the client secret or a token.
/// </summary>
public sealed class OAuth2TokenSource(StoredEndpointAuth settings, string clientSecret, Func<HttpClient> client, TimeProvider time, TimeSpan timeout)
{
    private const int MaxAnswerBytes = 64 * 1024;
    private const int MaxDescription = 200;

    private readonly Lock _lock = new();
    private Task<AccessToken>? _current;

    /// <summary>A token to send now: the shared one while it may be reused, else a fresh one.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        Task<AccessToken> fetch;
        lock (_lock)
        {
            if (_current is null || _current.IsFaulted || _current.IsCanceled
                || (_current.IsCompletedSuccessfully && !AccessTokenLifetime.IsReusable(_current.Result.ReusableUntil, time.GetUtcNow())))
            {
                _current = FetchAsync();
            }

            fetch = _current;
        }

        return (await fetch.WaitAsync(cancellationToken)).Value;
    }

    /// <summary>
    /// A token other than <paramref name="refused"/>, which the endpoint answered 401 to: fetched now, unless another attempt
    /// already replaced it (or is fetching its replacement), whose token is then used.
    /// </summary>
    public async Task<string> RenewAsync(string refused, CancellationToken cancellationToken)
    {
        Task<AccessToken> fetch;
        lock (_lock)
        {
            if (_current is null || _current.IsFaulted || _current.IsCanceled || (_current.IsCompletedSuccessfully && _current.Result.Value == refused))
            {
                _current = FetchAsync();
            }

            fetch = _current;
        }

        return (await fetch.WaitAsync(cancellationToken)).Value;
    }

    private async Task<AccessToken> FetchAsync()
    {
        // Off the caller's lock: the request is built and sent on the thread pool.
        await Task.Yield();
        using var deadline = new CancellationTokenSource(timeout);
        var obtainedAt = time.GetUtcNow();
        using var request = TokenRequest();
        try
        {
            using var response = await client().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var answer = await ReadAsync(response, deadline.Token);
            return response.IsSuccessStatusCode
                ? Parse(answer, obtainedAt)
                : throw new TokenEndpointException(Refusal((int)response.StatusCode, answer));
        }
        catch (HttpRequestException e)
        {
            throw new TokenEndpointException(OutboundErrors.Describe(e), e);
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && deadline.IsCancellationRequested))
        {
            throw new TokenEndpointException($"timeout: no answer within {timeout.TotalSeconds:0.#} s", e);
        }
    }

    /// <summary>RFC 6749 §4.4.2, the client authenticated as §2.3.1 says (Basic by default, or in the body).</summary>
    private HttpRequestMessage TokenRequest()
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (settings.Scope is { } scope)
        {
            form.Add(new("scope", scope));
        }

        if (settings.Audience is { } audience)
        {
            form.Add(new("audience", audience));
        }

        var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenUrl)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (settings.TokenEndpointAuthMethod == EndpointAuth.ClientSecretPost)
        {
            form.Add(new("client_id", settings.ClientId!));
            form.Add(new("client_secret", clientSecret));
        }
        else
        {
            // Each form-encoded first (RFC 6749 §2.3.1), then joined with a colon and base64-encoded.
            var credentials = WebUtility.UrlEncode(settings.ClientId!) + ":" + WebUtility.UrlEncode(clientSecret);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Causeloop-Webhooks", "1.0"));
        return request;
    }

    /// <summary>RFC 6749 §5.1: <c>access_token</c>, <c>token_type</c> Bearer, <c>expires_in</c> seconds (optional).</summary>
    private AccessToken Parse(byte[] answer, DateTimeOffset obtainedAt)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(answer).RootElement;
        }
        catch (JsonException)
        {
            throw new TokenEndpointException("the answer is not JSON");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("access_token", out var accessToken)
            || accessToken.ValueKind != JsonValueKind.String || accessToken.GetString() is not { Length: > 0 } value)
        {
            throw new TokenEndpointException("the answer has no access_token");
        }

        if (!value.All(c => c is > ' ' and <= '~'))
        {
            throw new TokenEndpointException("the access_token cannot be sent in a header (not printable ASCII)");
        }

        if (root.TryGetProperty("token_type", out var type) && type.ValueKind == JsonValueKind.String
            && !string.Equals(type.GetString(), "bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new TokenEndpointException($"token_type {Printable(type.GetString()!)} is not supported; only Bearer tokens are");
        }

        return new AccessToken(value, AccessTokenLifetime.ReusableUntil(obtainedAt, ExpiresIn(root)));
    }

    private static TimeSpan? ExpiresIn(JsonElement root)
    {
        if (!root.TryGetProperty("expires_in", out var expiresIn))
        {
            return null;
        }

        // A number, as RFC 6749 says, or a number in a string, as some servers send it.
        var seconds = expiresIn.ValueKind switch
        {
            JsonValueKind.Number when expiresIn.TryGetDouble(out var number) => number,
            JsonValueKind.String when double.TryParse(expiresIn.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
            _ => double.NaN,
        };
        return seconds is >= 0 and < 315_360_000 ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary>RFC 6749 §5.2: the status, and the <c>error</c> and <c>error_description</c> when the answer has them.</summary>
    private string Refusal(int status, byte[] answer)
    {
        var text = $"HTTP {status.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            var root = JsonDocument.Parse(answer).RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                text += " " + Printable(error.GetString()!);
                if (root.TryGetProperty("error_description", out var description) && description.ValueKind == JsonValueKind.String)
                {
                    text += ": " + Printable(description.GetString()!);
                }
            }
        }
        catch (JsonException)
        {
            // Not the JSON of §5.2: the status says enough.
        }

        return text;
    }

    /// <summary>A token endpoint's own words, cut short, on one line, with the client secret taken out should it echo it.</summary>
    private string Printable(string text)
    {
        var clean = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
        clean = clean.Replace(clientSecret, "***", StringComparison.Ordinal);
        return clean.Length <= MaxDescription ? clean : clean[..MaxDescription] + "…";
    }

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxAnswerBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return buffer[..total];
    }

    private sealed record AccessToken(string Value, DateTimeOffset? ReusableUntil);
}
