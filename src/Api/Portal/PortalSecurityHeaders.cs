using Causeloop.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Portal;

/// <summary>
/// Every portal response: <c>Content-Security-Policy: default-src 'self'; frame-ancestors</c> from
/// <c>Causeloop:Portal:FrameAncestors</c> (default <c>'none'</c>); no referrer (a page's address never leaves it);
/// no sniffing; no caching of pages that show a customer's data.
/// </summary>
public sealed class PortalSecurityHeaders(RequestDelegate next, IOptions<CauseloopOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Path.StartsWithSegments("/portal"))
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = $"default-src 'self'; frame-ancestors {options.Value.Portal.FrameAncestors}; form-action 'self'; base-uri 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-store";
        }

        return next(context);
    }
}
