using Causeloop.Application.Common;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;

namespace Causeloop.Api.ErrorHandling;

/// <summary>
/// The one place that maps exceptions to problem details: validation 400, not found 404, domain rule 409,
/// missing scope or portal capability 403, bad signature 401, inbound body too large 413, too slow 408, unavailable 503
/// (too many bodies at once, the database cannot be used, a commit failed, the service is busy or stopping). Anything
/// else is a bug: 500.
/// </summary>
public sealed partial class CauseloopExceptionHandler(ILogger<CauseloopExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        switch (exception)
        {
            case ValidationException validation:
                var errors = validation.Errors
                    .GroupBy(e => string.IsNullOrEmpty(e.PropertyName) ? "body" : e.PropertyName)
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
                await ProblemResponses.WriteAsync(httpContext, 400, ProblemTypes.Validation, "Validation failed", "The request has invalid fields.", errors);
                return true;
            case BadRequestException bad:
                await ProblemResponses.WriteAsync(httpContext, 400, ProblemTypes.Validation, "Validation failed", bad.Message, bad.Errors.ToDictionary());
                return true;
            case NotFoundException notFound:
                await ProblemResponses.WriteAsync(httpContext, 404, ProblemTypes.NotFound, "Not found", notFound.Message);
                return true;
            case ConflictException conflict:
                await ProblemResponses.WriteAsync(httpContext, 409, ProblemTypes.Conflict, "Conflict", conflict.Message);
                return true;
            case UnauthenticatedException:
                await ProblemResponses.WriteUnauthenticatedAsync(httpContext);
                return true;
            case MissingScopeException missing:
                httpContext.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{missing.Needed.Value}\"";
                await ProblemResponses.WriteAsync(httpContext, 403, ProblemTypes.InsufficientScope, "Forbidden", missing.Message);
                return true;
            case MissingCapabilityException missingCapability:
                await ProblemResponses.WriteAsync(httpContext, 403, ProblemTypes.MissingCapability, "Forbidden", missingCapability.Message);
                return true;
            case InboundRejectedException rejected:
                var path = httpContext.Request.Path.Value ?? string.Empty;
                LogInboundRejected(logger, path, rejected.Reason);
                await InboundProblems.WriteUnauthorizedAsync(httpContext);
                return true;
            case PayloadTooLargeException tooLarge:
                await InboundProblems.WritePayloadTooLargeAsync(httpContext, tooLarge.Limit);
                return true;
            case InboundBusyException busy:
                await InboundProblems.WriteBusyAsync(httpContext, busy.Message);
                return true;
            case RequestBodyTimeoutException timedOut:
                await InboundProblems.WriteBodyTimeoutAsync(httpContext, timedOut.Message);
                return true;
            case RateLimitedException limited:
                httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ProblemResponses.WriteAsync(httpContext, 429, ProblemTypes.RateLimited, "Too many requests", limited.Message);
                return true;
            case BadHttpRequestException badHttp:
                await ProblemResponses.WriteAsync(
                    httpContext,
                    badHttp.StatusCode,
                    badHttp.StatusCode == 413 ? ProblemTypes.PayloadTooLarge : ProblemTypes.Validation,
                    badHttp.StatusCode == 413 ? "Payload too large" : "Bad request",
                    badHttp.Message);
                return true;
            case System.Text.DecoderFallbackException:
                // A body that is not valid text in the charset its content-type declares (e.g. an odd number of bytes as UTF-16).
                await ProblemResponses.WriteAsync(httpContext, 400, ProblemTypes.Validation, "Bad request",
                    "The body is not valid text in the charset its content-type declares. Send UTF-8.");
                return true;
            case SecretUnreadableException unreadable:
                LogSecretUnreadable(logger, unreadable);
                await ProblemResponses.WriteAsync(httpContext, 503, ProblemTypes.Unavailable, "Service unavailable",
                    "The service cannot read the signing secrets it stored (its secrets key was changed). Nothing was changed; an operator must restore the key.");
                return true;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                httpContext.Response.StatusCode = 499;
                return true;
            case UnavailableException unavailable:
                LogUnavailable(logger, unavailable);
                httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(unavailable.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ProblemResponses.WriteAsync(httpContext, 503, ProblemTypes.Unavailable, "Service unavailable", unavailable.Message);
                return true;
            default:
                LogUnhandled(logger, exception);
                await ProblemResponses.WriteAsync(httpContext, 500, ProblemTypes.Internal, "Internal error", "An unexpected error occurred.");
                return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Inbound request to {Path} rejected: {Reason}")]
    private static partial void LogInboundRejected(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A stored signing secret cannot be decrypted: Causeloop:Secrets:Key is not the key the secrets were stored with")]
    private static partial void LogSecretUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
