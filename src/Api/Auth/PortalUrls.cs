using Causeloop.Api.Hosting;
using Causeloop.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Auth;

/// <summary>The portal link: <c>{base}/portal#token={token}</c>; the token rides in the fragment, which browsers never send.</summary>
public sealed class PortalUrls(IHttpContextAccessor accessor, IOptions<CauseloopOptions> options) : IPortalUrls
{
    public string Link(string token) =>
        $"{PublicBaseUrl.Of(options.Value, accessor.HttpContext?.Request)}/portal#token={Uri.EscapeDataString(token)}";
}
