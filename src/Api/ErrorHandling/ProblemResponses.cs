using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.ErrorHandling;

/// <summary>Problem details written outside MVC (authentication challenges, rate limiting, the inbound endpoint).</summary>
public static class ProblemResponses
{
    public static Task WriteUnauthenticatedAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return WriteAsync(context, StatusCodes.Status401Unauthorized, ProblemTypes.Unauthenticated, "Unauthorized",
            "A valid API key is required: Authorization: Bearer <api key>.");
    }

    public static Task WriteAsync(HttpContext context, int status, string type, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        ProblemDetails problem = errors is null
            ? new ProblemDetails()
            : new ValidationProblemDetails(errors);
        problem.Status = status;
        problem.Type = type;
        problem.Title = title;
        problem.Detail = detail;
        problem.Instance = context.Request.Path;
        return context.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json");
    }
}
