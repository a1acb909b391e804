using System.Text;

namespace Causeloop.Domain.Webhooks;

/// <summary>
/// How Causeloop authenticates to an outbound endpoint (SPEC §17), as the user gives it, secret included:
/// <see cref="OAuth2ClientCredentials"/> (a bearer token from <see cref="TokenUrl"/>, RFC 6749 §4.4) or
/// <see cref="MutualTls"/> (a client certificate presented on TLS). <see cref="Validate"/> is the rule. The secret
/// (<see cref="ClientSecret"/> or <see cref="PrivateKeyPem"/>) is stored encrypted and never shown, and this record's
/// <c>ToString</c> leaves it out, so no log line can carry it.
/// </summary>
public sealed record EndpointAuth
{
    public const string OAuth2ClientCredentials = "oauth2_client_credentials";
    public const string MutualTls = "mtls";

    /// <summary>RFC 6749 §2.3.1: client_id and client_secret in HTTP Basic authentication (the default).</summary>
    public const string ClientSecretBasic = "client_secret_basic";

    /// <summary>RFC 6749 §2.3.1: client_id and client_secret in the form body.</summary>
    public const string ClientSecretPost = "client_secret_post";

    public const int MaxClientIdLength = 256;
    public const int MaxClientSecretLength = 1024;
    public const int MaxScopeLength = 1024;
    public const int MaxAudienceLength = 2048;
    public const int MaxPemLength = 16 * 1024;

    public static IReadOnlyList<string> Types { get; } = [OAuth2ClientCredentials, MutualTls];

    public static IReadOnlyList<string> ClientAuthenticationMethods { get; } = [ClientSecretBasic, ClientSecretPost];

    public required string Type { get; init; }

    public string? TokenUrl { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? Scope { get; init; }

    public string? Audience { get; init; }

    /// <summary><see cref="ClientSecretBasic"/> (when null) or <see cref="ClientSecretPost"/>.</summary>
    public string? TokenEndpointAuthMethod { get; init; }

    public string? CertificatePem { get; init; }

    public string? PrivateKeyPem { get; init; }

    /// <summary>What is stored encrypted: the client secret, or the certificate's private key.</summary>
    public string Secret => (Type == MutualTls ? PrivateKeyPem : ClientSecret) ?? string.Empty;

    /// <summary>
    /// Null when <paramref name="auth"/> is acceptable (null: no auth) for a webhook whose URL is <paramref name="url"/>,
    /// else the reason. A certificate must hold its private key's public key, be valid at <paramref name="now"/> and, when
    /// it names its uses, allow client authentication; an endpoint reached over http never sees it, so mtls needs https.
    /// </summary>
    public static string? Validate(EndpointAuth? auth, string? url, DateTimeOffset now)
    {
        if (auth is null)
        {
            return null;
        }

        return auth.Type switch
        {
            OAuth2ClientCredentials => ValidateOAuth2(auth),
            MutualTls => ValidateMutualTls(auth, url, now),
            _ => $"type must be one of {string.Join(", ", Types)}.",
        };
    }

    /// <summary>Null when a webhook with auth of <paramref name="type"/> may have <paramref name="url"/>, else the reason.</summary>
    public static string? UrlProblem(string? type, string? url) =>
        type == MutualTls && url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
            ? "mtls needs an https url: a client certificate is presented only on TLS."
            : null;

    private static string? ValidateOAuth2(EndpointAuth auth)
    {
        if (auth.CertificatePem is not null || auth.PrivateKeyPem is not null)
        {
            return "certificate_pem and private_key_pem belong to mtls, not to oauth2_client_credentials.";
        }

        if (EndpointUrl.Validate(auth.TokenUrl) is { } urlProblem)
        {
            return "token_url: " + urlProblem;
        }

        return Text("client_id", auth.ClientId, MaxClientIdLength, required: true)
            ?? Text("client_secret", auth.ClientSecret, MaxClientSecretLength, required: true)
            ?? Text("scope", auth.Scope, MaxScopeLength, required: false)
            ?? Text("audience", auth.Audience, MaxAudienceLength, required: false)
            ?? (auth.TokenEndpointAuthMethod is null || ClientAuthenticationMethods.Contains(auth.TokenEndpointAuthMethod)
                ? null
                : $"token_endpoint_auth_method must be one of {string.Join(", ", ClientAuthenticationMethods)}.");
    }

    private static string? ValidateMutualTls(EndpointAuth auth, string? url, DateTimeOffset now)
    {
        if (auth.TokenUrl is not null || auth.ClientId is not null || auth.ClientSecret is not null || auth.Scope is not null
            || auth.Audience is not null || auth.TokenEndpointAuthMethod is not null)
        {
            return "mtls takes certificate_pem and private_key_pem only.";
        }

        if (string.IsNullOrWhiteSpace(auth.CertificatePem) || auth.CertificatePem.Length > MaxPemLength)
        {
            return $"certificate_pem must be a PEM certificate (the client's first, then any intermediates), at most {MaxPemLength} characters.";
        }

        if (string.IsNullOrWhiteSpace(auth.PrivateKeyPem) || auth.PrivateKeyPem.Length > MaxPemLength)
        {
            return $"private_key_pem must be the certificate's PEM private key (unencrypted), at most {MaxPemLength} characters.";
        }

        return ClientCertificate.Validate(auth.CertificatePem, auth.PrivateKeyPem, now) ?? UrlProblem(MutualTls, url);
    }

    private static string? Text(string field, string? value, int maxLength, bool required)
    {
        if (value is null)
        {
            return required ? $"{field} is required." : null;
        }

        if (value.Length == 0 || value.Length > maxLength)
        {
            return $"{field} must be 1 to {maxLength} characters.";
        }

        return value.Any(char.IsControl) ? $"{field} must not contain control characters." : null;
    }

    // Records print every member; this one never prints a secret, whoever logs it.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Type = ").Append(Type);
        if (TokenUrl is not null)
        {
            builder.Append(", TokenUrl = ").Append(TokenUrl).Append(", ClientId = ").Append(ClientId);
        }

        return true;
    }
}
