using Causeloop.Api.Hosting;
using Causeloop.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Auth;

/// <summary><c>inbound_url</c>: <c>Causeloop:PublicBaseUrl</c> when set, else the scheme and host of the current request.</summary>
public sealed class InboundUrls(IHttpContextAccessor accessor, IOptions<CauseloopOptions> options) : IInboundUrls
{
    public string UrlFor(Guid connectorId)
    {
        var configured = options.Value.PublicBaseUrl;
        var request = accessor.HttpContext?.Request;
        var baseUrl = configured is not null
            ? configured.ToString().TrimEnd('/')
            : request is not null ? $"{request.Scheme}://{request.Host}{request.PathBase}" : "http://localhost";
        return $"{baseUrl}/v1/webhooks/inbound/{connectorId}";
    }
}
