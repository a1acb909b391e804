using System.Diagnostics;
using Causeloop.Application.Common;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Causeloop.Application.Behaviors;

/// <summary>
/// Logs each message's name, outcome and duration. A refusal given as designed (an <see cref="IRejection"/>, a failed
/// validation, a caller that went away) is logged at Debug, like a success: a flood of forged inbound requests or of
/// rate-limited ones must not become a flood of logs. Any other exception is a real failure, logged at Information.
/// </summary>
public sealed partial class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly string MessageName = typeof(TMessage).Name;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogHandled(logger, MessageName, elapsed);
            return response;
        }
        catch (Exception ex)
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var kind = ex.GetType().Name;
            if (ex is IRejection or ValidationException or OperationCanceledException)
            {
                LogRefused(logger, MessageName, elapsed, kind);
            }
            else
            {
                LogFailed(logger, MessageName, elapsed, kind);
            }

            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Message} handled in {ElapsedMs:0.0} ms")]
    private static partial void LogHandled(ILogger logger, string message, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Message} refused after {ElapsedMs:0.0} ms with {Exception}")]
    private static partial void LogRefused(ILogger logger, string message, double elapsedMs, string exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message} failed after {ElapsedMs:0.0} ms with {Exception}")]
    private static partial void LogFailed(ILogger logger, string message, double elapsedMs, string exception);
}
