using Causeloop.Api.Hosting;
using Causeloop.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Auth;

/// <summary><c>inbound_url</c>: <c>Causeloop:PublicBaseUrl</c> when set, else the scheme and host of the current request.</summary>
public sealed class InboundUrls(IHttpContextAccessor accessor, IOptions<CauseloopOptions> options) : IInboundUrls
{
    public string UrlFor(Guid connectorId) =>
        $"{PublicBaseUrl.Of(options.Value, accessor.HttpContext?.Request)}/v1/webhooks/inbound/{connectorId}";
}
