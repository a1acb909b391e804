using System.ComponentModel;

namespace Causeloop.Application.Webhooks;

/// <summary>A TLS client certificate, as answers show it: the certificate (public), never its private key.</summary>
public sealed record MutualTlsAuthDto(
    string CertificatePem,
    [property: Description("The client certificate's subject.")]
    string CertificateSubject,
    [property: Description("When the client certificate expires: set a new one before then.")]
    DateTime CertificateExpiresAt) : EndpointAuthDto;
