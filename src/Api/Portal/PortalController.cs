using Causeloop.Api.Hosting;
using Causeloop.Application.Portal;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Portal;

/// <summary>The portal's entry: the landing page a link opens, its script and stylesheet, and the token exchange.</summary>
[AllowAnonymous]
[ApiExplorerSettings(IgnoreApi = true)]
[Route("portal")]
public sealed class PortalController(ISender sender, IOptions<CauseloopOptions> options) : Controller
{
    [HttpGet("")]
    public ContentResult Landing() => Content(PortalPages.Landing, "text/html; charset=utf-8");

    [HttpGet("portal.js")]
    public ContentResult Script() => Content(PortalPages.Script, "text/javascript; charset=utf-8");

    [HttpGet("portal.css")]
    public ContentResult Stylesheet() => Content(PortalPages.Stylesheet, "text/css; charset=utf-8");

    /// <summary>The link's one-time token, from the page's script, for the session cookie. Any failure: 401.</summary>
    [HttpPost("exchange")]
    [IgnoreAntiforgeryToken] // the token itself is the proof: it came from the link, not from another site
    public async Task<IActionResult> Exchange([FromBody] ExchangeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cookie = await sender.Send(new ExchangePortalTokenCommand(request.Token ?? string.Empty), cancellationToken);
        Response.Cookies.Append(PortalAuthenticationHandler.CookieName, cookie, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            // https as the client sees it: the connection itself, X-Forwarded-Proto from a configured proxy, or an https
            // public base URL (a TLS-terminating proxy in front, whether or not it forwards the scheme).
            Secure = Request.IsHttps || options.Value.PublicBaseUrl?.Scheme == Uri.UriSchemeHttps,
            Path = "/portal",
            IsEssential = true,
        });
        return NoContent();
    }

    public sealed record ExchangeRequest(string? Token);
}
