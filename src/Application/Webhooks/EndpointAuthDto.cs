using System.Text.Json.Serialization;

namespace Causeloop.Application.Webhooks;

/// <summary>
/// A webhook's <c>auth</c> as answers show it (SPEC §17): its settings, never its secret (the client secret, the private
/// key). One shape per <c>type</c>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(OAuth2ClientCredentialsAuthDto), Domain.Webhooks.EndpointAuth.OAuth2ClientCredentials)]
[JsonDerivedType(typeof(MutualTlsAuthDto), Domain.Webhooks.EndpointAuth.MutualTls)]
public abstract record EndpointAuthDto;
