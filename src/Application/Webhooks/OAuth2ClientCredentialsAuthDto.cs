namespace Causeloop.Application.Webhooks;

/// <summary>OAuth 2.0 client credentials, as answers show them: everything but <c>client_secret</c>.</summary>
public sealed record OAuth2ClientCredentialsAuthDto(
    string TokenUrl,
    string ClientId,
    string? Scope,
    string? Audience,
    string TokenEndpointAuthMethod) : EndpointAuthDto;
