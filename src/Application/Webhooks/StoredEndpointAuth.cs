using System.Text.Json;
using Causeloop.Domain.Webhooks;

namespace Causeloop.Application.Webhooks;

/// <summary>
/// A webhook's <c>auth</c> as stored: these settings in <c>webhooks.auth</c> (jsonb, nothing secret in it) and the secret
/// (<see cref="EndpointAuth.Secret"/>) encrypted in <c>webhooks.auth_secret</c>. What answers show and what the sender
/// needs beside the secret.
/// </summary>
public sealed record StoredEndpointAuth(
    string Type,
    string? TokenUrl = null,
    string? ClientId = null,
    string? Scope = null,
    string? Audience = null,
    string? TokenEndpointAuthMethod = null,
    string? CertificatePem = null,
    string? CertificateSubject = null,
    DateTime? CertificateExpiresAt = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The settings of a validated <paramref name="auth"/>, without its secret.</summary>
    public static StoredEndpointAuth From(EndpointAuth auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        if (auth.Type == EndpointAuth.MutualTls)
        {
            var (subject, expiresAt) = ClientCertificate.Describe(auth.CertificatePem!);
            return new StoredEndpointAuth(auth.Type, CertificatePem: auth.CertificatePem, CertificateSubject: subject, CertificateExpiresAt: expiresAt.UtcDateTime);
        }

        return new StoredEndpointAuth(auth.Type, auth.TokenUrl, auth.ClientId, auth.Scope, auth.Audience,
            auth.TokenEndpointAuthMethod ?? EndpointAuth.ClientSecretBasic);
    }

    public static StoredEndpointAuth Parse(string json) =>
        JsonSerializer.Deserialize<StoredEndpointAuth>(json, Json) ?? throw new JsonException("webhooks.auth is null.");

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public EndpointAuthDto ToDto() => Type == EndpointAuth.MutualTls
        ? new MutualTlsAuthDto(CertificatePem!, CertificateSubject!, DateTime.SpecifyKind(CertificateExpiresAt!.Value, DateTimeKind.Utc))
        : new OAuth2ClientCredentialsAuthDto(TokenUrl!, ClientId!, Scope, Audience, TokenEndpointAuthMethod ?? EndpointAuth.ClientSecretBasic);
}
