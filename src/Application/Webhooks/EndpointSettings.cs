using Causeloop.Application.Abstractions;
using Causeloop.Domain.Webhooks;

namespace Causeloop.Application.Webhooks;

/// <summary>Sets a webhook's static headers and auth (validated), encrypting their values and secret (SPEC §17).</summary>
public static class EndpointSettings
{
    /// <summary><paramref name="webhook"/> with these headers (null or none: none) and this auth (null: none).</summary>
    public static Webhook WithEndpointSettings(this Webhook webhook, IReadOnlyDictionary<string, string?>? headers, EndpointAuth? auth, ISecretProtector protector) =>
        webhook.WithHeaders(headers, protector).WithAuth(auth, protector);

    public static Webhook WithHeaders(this Webhook webhook, IReadOnlyDictionary<string, string?>? headers, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return headers is null || headers.Count == 0
            ? webhook with { HeaderNames = null, Headers = null }
            : webhook with { HeaderNames = [.. headers.Keys], Headers = EndpointHeaderValues.Protect(headers, protector) };
    }

    public static Webhook WithAuth(this Webhook webhook, EndpointAuth? auth, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(protector);
        return auth is null
            ? webhook with { Auth = null, AuthSecret = null }
            : webhook with { Auth = StoredEndpointAuth.From(auth).ToJson(), AuthSecret = protector.Protect(auth.Secret) };
    }

    /// <summary>
    /// The rules between a webhook's URL, headers and auth, on its state after a change: an mtls webhook needs an https
    /// URL, and no static <c>authorization</c> header goes with auth. Null when they hold, else the field and the reason.
    /// </summary>
    public static (string Field, string Reason)? Conflict(Webhook webhook, bool authChanged)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        if (webhook.Auth is null)
        {
            return null;
        }

        var type = StoredEndpointAuth.Parse(webhook.Auth).Type;
        if (EndpointAuth.UrlProblem(type, webhook.Url) is { } urlProblem)
        {
            return (authChanged ? "auth" : "url", urlProblem);
        }

        return webhook.HeaderNames?.Select(n => EndpointHeaders.NameProblem(n, withAuth: true)).FirstOrDefault(p => p is not null) is { } headerProblem
            ? ("headers", headerProblem)
            : null;
    }
}
