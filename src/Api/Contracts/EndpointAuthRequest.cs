using System.Text.Json;
using System.Text.Json.Serialization;
using Causeloop.Domain.Webhooks;

namespace Causeloop.Api.Contracts;

/// <summary>
/// <c>auth</c> of an outbound webhook (SPEC §17), one shape per <c>type</c>: <c>oauth2_client_credentials</c> or <c>mtls</c>.
/// A field of the other shape is an unknown field (400), and a missing or unknown <c>type</c> is a 400 too.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(OAuth2ClientCredentialsAuthRequest), EndpointAuth.OAuth2ClientCredentials)]
[JsonDerivedType(typeof(MutualTlsAuthRequest), EndpointAuth.MutualTls)]
public record EndpointAuthRequest
{
    public const string TypeRequired = "type is required: oauth2_client_credentials or mtls.";

    /// <summary>
    /// What the serializer calls for an object without <c>type</c> (it cannot tell which shape is meant): refused, as a
    /// JSON error of the field, so the answer is a 400 naming <c>auth</c>. An abstract base would make it a 500.
    /// </summary>
    [JsonConstructor]
    public EndpointAuthRequest() => throw new JsonException(TypeRequired);

    /// <summary>The shapes' constructor.</summary>
    protected EndpointAuthRequest(string type) => Type = type;

    /// <summary>The shape (not a JSON property: the serializer reads and writes it as the discriminator).</summary>
    [JsonIgnore]
    public string Type { get; } = string.Empty;

    public virtual EndpointAuth ToAuth() => throw new InvalidOperationException(TypeRequired);
}
