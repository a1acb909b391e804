using System.ComponentModel;
using Causeloop.Domain.Webhooks;

namespace Causeloop.Api.Contracts;

/// <summary>
/// OAuth 2.0 client credentials (RFC 6749 §4.4): Causeloop fetches a token from <c>token_url</c> and sends it as
/// <c>Authorization: Bearer</c>. <c>token_endpoint_auth_method</c>: <c>client_secret_basic</c> (default) or
/// <c>client_secret_post</c>. The client secret is stored encrypted and never shown.
/// </summary>
public sealed record OAuth2ClientCredentialsAuthRequest(
    [property: Description("The token endpoint (absolute http or https URL). Reached through the same SSRF guard and egress proxy as deliveries; redirects are not followed.")]
    string? TokenUrl,
    [property: Description("The client id Causeloop authenticates with.")]
    string? ClientId,
    [property: Description("The client secret: stored encrypted, never answered.")]
    string? ClientSecret,
    [property: Description("Optional `scope` parameter of the token request.")]
    string? Scope = null,
    [property: Description("Optional `audience` parameter of the token request (Auth0, Okta and others use it to pick the API).")]
    string? Audience = null,
    [property: Description("`client_secret_basic` (default: HTTP Basic authentication) or `client_secret_post` (client_id and client_secret in the form body).")]
    string? TokenEndpointAuthMethod = null) : EndpointAuthRequest(EndpointAuth.OAuth2ClientCredentials)
{
    public override EndpointAuth ToAuth() => new()
    {
        Type = EndpointAuth.OAuth2ClientCredentials,
        TokenUrl = TokenUrl,
        ClientId = ClientId,
        ClientSecret = ClientSecret,
        Scope = Scope,
        Audience = Audience,
        TokenEndpointAuthMethod = TokenEndpointAuthMethod,
    };

    // Never print the secret, whoever logs this.
    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("TokenUrl = ").Append(TokenUrl).Append(", ClientId = ").Append(ClientId);
        return true;
    }
}
