using System.ComponentModel;
using Causeloop.Domain.Webhooks;

namespace Causeloop.Api.Contracts;

/// <summary>
/// A TLS client certificate presented to the endpoint (the webhook's url must be https): <c>certificate_pem</c> (the
/// client's certificate first, then any intermediates) and its unencrypted <c>private_key_pem</c>, which is stored
/// encrypted and never shown.
/// </summary>
public sealed record MutualTlsAuthRequest(
    [property: Description("PEM: the client certificate first, then any intermediates. It must be valid now, hold the key's public key and, if it names its uses, allow TLS client authentication.")]
    string? CertificatePem,
    [property: Description("The certificate's unencrypted PEM private key (RSA, EC or PKCS#8): stored encrypted, never answered.")]
    string? PrivateKeyPem) : EndpointAuthRequest(EndpointAuth.MutualTls)
{
    public override EndpointAuth ToAuth() => new()
    {
        Type = EndpointAuth.MutualTls,
        CertificatePem = CertificatePem,
        PrivateKeyPem = PrivateKeyPem,
    };

    // Never print the private key, whoever logs this.
    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("CertificatePem = ").Append(CertificatePem is null ? "null" : "…");
        return true;
    }
}
