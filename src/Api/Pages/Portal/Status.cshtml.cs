using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Causeloop.Api.Pages.Portal;

/// <summary>
/// The portal's answer to every refusal, in the portal's layout: a portal request answered with an error status and no
/// body (the cookie handler's 401 challenge and 403, a page's 404, 403 or 429, a refused anti-forgery token's 400, an
/// address that matches nothing) is re-executed here (<see cref="Path"/>, <c>UseStatusCodePagesWithReExecute</c>) and
/// keeps its status code and headers. Whatever the method of the request it answers: no handler method, no anti-forgery
/// check. Asked for directly, it is not found.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public const string Path = "/portal/status";

    private static readonly object ReasonKey = new();

    /// <summary>The status code of the request this page answers.</summary>
    public int Code { get; private set; }

    /// <summary>Why the request was refused, when the page that refused it said (a 429 says when to try again).</summary>
    public string? Reason { get; private set; }

    /// <summary>The address of the request this page answers: where to go back to (after a 429, the page the action was on).</summary>
    public string Back { get; private set; } = string.Empty;

    /// <summary>Whether a request is the portal's, whose error statuses this page answers.</summary>
    public static bool Answers(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Path.StartsWithSegments("/portal");
    }

    /// <summary>Says why a request is refused, for the page that answers its status to show.</summary>
    public static void Explain(HttpContext context, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[ReasonKey] = reason;
    }

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var answered = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        if (answered is null)
        {
            context.Result = NotFound();
            return;
        }

        Code = answered.OriginalStatusCode;
        Reason = HttpContext.Items[ReasonKey] as string;
        Back = answered.OriginalPathBase + answered.OriginalPath;
    }
}
