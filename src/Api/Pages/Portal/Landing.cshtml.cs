using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Causeloop.Api.Pages.Portal;

/// <summary>
/// The page a portal link opens (<c>/portal#token=…</c>): its script (<c>/portal/portal.js</c>, no inline script) posts
/// the fragment's token once to <c>/portal/exchange</c> for the session cookie and removes the fragment. No session yet.
/// </summary>
[AllowAnonymous]
public sealed class LandingModel : PageModel
{
}
