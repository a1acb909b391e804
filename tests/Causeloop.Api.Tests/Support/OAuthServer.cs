using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// A customer's side of OAuth 2.0 client credentials on real Kestrel (127.0.0.1): a token endpoint (RFC 6749 §4.4, both
/// client authentication methods of §2.3.1) and a receiver that answers 204 only to a bearer token it issued and has not
/// revoked, 401 otherwise. Records every token request and every delivery.
/// </summary>
public sealed class OAuthServer : IAsyncDisposable
{
    /// <summary>A token request as it arrived: its Authorization header and its form.</summary>
    public sealed record TokenRequest(string? Authorization, IReadOnlyDictionary<string, string> Form);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<TokenRequest> _tokenRequests = new();
    private readonly ConcurrentQueue<Receiver.Request> _deliveries = new();
    private readonly ConcurrentDictionary<string, bool> _issued = new();
    private int _tokens;

    private OAuthServer(WebApplication app) => _app = app;

    public string ClientId { get; } = "causeloop-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>A secret with characters that form encoding changes (RFC 6749 §2.3.1 encodes before Basic).</summary>
    public string ClientSecret { get; } = "cs+" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)) + "/=:&";

    /// <summary>The <c>expires_in</c> of the tokens issued; null leaves it out.</summary>
    public int? ExpiresIn { get; set; } = 3600;

    /// <summary>The receiver answers 401 to every token, even a fresh one.</summary>
    public bool RefuseEveryToken { get; set; }

    /// <summary>When set, the token endpoint answers this instead (status, JSON body).</summary>
    public (int Status, string Body)? TokenAnswer { get; set; }

    public Uri TokenUrl { get; private set; } = null!;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<TokenRequest> TokenRequests => _tokenRequests.ToArray();

    public IReadOnlyList<Receiver.Request> Deliveries => _deliveries.ToArray();

    /// <summary>The tokens issued so far, in order.</summary>
    public IReadOnlyList<string> Issued => [.. _issued.Keys.OrderBy(t => int.Parse(t.Split('_')[1], System.Globalization.CultureInfo.InvariantCulture))];

    public static async Task<OAuthServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new OAuthServer(app);
        app.MapPost("/oauth/token", (Delegate)server.TokenAsync);
        app.MapPost("/hooks", (Delegate)server.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.TokenUrl = new Uri(address + "/oauth/token");
        server.Url = new Uri(address + "/hooks");
        return server;
    }

    /// <summary>The receiver refuses this token from now on (as after a key rotation on the customer's side).</summary>
    public void Revoke(string token) => _issued[token] = false;

    public void RevokeAll()
    {
        foreach (var token in _issued.Keys)
        {
            _issued[token] = false;
        }
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        var authorization = context.Request.Headers.Authorization.ToString();
        _tokenRequests.Enqueue(new TokenRequest(authorization.Length == 0 ? null : authorization, form));
        if (TokenAnswer is { } answer)
        {
            return Results.Content(answer.Body, "application/json", Encoding.UTF8, answer.Status);
        }

        var (id, secret) = authorization.StartsWith("Basic ", StringComparison.Ordinal)
            ? Basic(authorization["Basic ".Length..])
            : (form.GetValueOrDefault("client_id"), form.GetValueOrDefault("client_secret"));
        if (form.GetValueOrDefault("grant_type") != "client_credentials" || id != ClientId || secret != ClientSecret)
        {
            return Results.Json(new Dictionary<string, string> { ["error"] = "invalid_client" }, statusCode: 401);
        }

        var token = $"tok_{Interlocked.Increment(ref _tokens)}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        _issued[token] = true;
        var body = new Dictionary<string, object> { ["access_token"] = token, ["token_type"] = "Bearer" };
        if (ExpiresIn is { } seconds)
        {
            body["expires_in"] = seconds;
        }

        return Results.Json(body);
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var request = new Receiver.Request(context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            buffer.ToArray(), DateTimeOffset.UtcNow);
        _deliveries.Enqueue(request);
        var authorization = context.Request.Headers.Authorization.ToString();
        return !RefuseEveryToken && authorization.StartsWith("Bearer ", StringComparison.Ordinal) && _issued.TryGetValue(authorization["Bearer ".Length..], out var live) && live
            ? Results.NoContent()
            : Results.StatusCode(401);
    }

    /// <summary>RFC 6749 §2.3.1: base64 of form-encoded id ":" form-encoded secret.</summary>
    private static (string? Id, string? Secret) Basic(string value)
    {
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (null, null) : (System.Net.WebUtility.UrlDecode(decoded[..colon]), System.Net.WebUtility.UrlDecode(decoded[(colon + 1)..]));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
