namespace Causeloop.Api.ErrorHandling;

/// <summary>The inbound endpoint's answers. Every verification failure gets the very same 401 body.</summary>
public static class InboundProblems
{
    public static Task WriteUnauthorizedAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        // A fixed body (no instance path, no trace id) so that no two rejections can be told apart.
        return context.Response.WriteAsJsonAsync(
            new { type = ProblemTypes.InvalidSignature, title = "Unauthorized", status = 401, detail = "The request could not be authenticated." },
            options: null,
            contentType: "application/problem+json");
    }

    public static Task WritePayloadTooLargeAsync(HttpContext context, long limit) =>
        ProblemResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Payload too large",
            $"The body must be at most {limit} bytes.");

    public static Task WriteBusyAsync(HttpContext context, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = "1";
        return ProblemResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "Service unavailable", detail);
    }

    public static Task WriteBodyTimeoutAsync(HttpContext context, string detail) =>
        ProblemResponses.WriteAsync(context, StatusCodes.Status408RequestTimeout, ProblemTypes.Validation, "Request timeout", detail);
}
