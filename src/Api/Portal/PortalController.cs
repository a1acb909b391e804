using Causeloop.Api.Hosting;
using Causeloop.Api.Contracts;
using Causeloop.Application.Portal.ExchangePortalToken;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Portal;

/// <summary>
/// The portal's entry: the landing page's script and the pages' stylesheet (<c>Portal/Assets</c>, embedded in the
/// assembly), and the token exchange. The landing page itself is a Razor page (<c>Pages/Portal/Landing</c>).
/// </summary>
[AllowAnonymous]
[ApiExplorerSettings(IgnoreApi = true)]
[Route("portal")]
public sealed class PortalController(ISender sender, IOptions<CauseloopOptions> options) : Controller
{
    private static readonly byte[] ScriptBytes = Asset("portal.js");
    private static readonly byte[] StylesheetBytes = Asset("portal.css");

    [HttpGet("portal.js")]
    public FileContentResult Script() => File(ScriptBytes, "text/javascript; charset=utf-8");

    [HttpGet("portal.css")]
    public FileContentResult Stylesheet() => File(StylesheetBytes, "text/css; charset=utf-8");

    /// <summary>The link's one-time token, from the page's script, for the session cookie. Any failure: 401.</summary>
    [HttpPost("exchange")]
    [IgnoreAntiforgeryToken] // the token itself is the proof: it came from the link, not from another site
    public async Task<IActionResult> Exchange([FromBody] ExchangePortalTokenRequest request, CancellationToken cancellationToken)
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

    private static byte[] Asset(string name)
    {
        using var stream = typeof(PortalController).Assembly.GetManifestResourceStream($"Causeloop.Api.Portal.Assets.{name}")
            ?? throw new InvalidOperationException($"The portal asset {name} is not embedded.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
