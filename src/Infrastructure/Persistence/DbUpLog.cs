using System.Globalization;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>Sends DbUp's messages to the host's logger.</summary>
internal sealed partial class DbUpLog(ILogger logger) : IUpgradeLog
{
    public void LogTrace(string format, params object[] args)
    {
    }

    public void LogDebug(string format, params object[] args)
    {
    }

    public void LogInformation(string format, params object[] args) => Write(LogLevel.Debug, format, args);

    public void LogWarning(string format, params object[] args) => Write(LogLevel.Warning, format, args);

    public void LogError(string format, params object[] args) => Write(LogLevel.Error, format, args);

    public void LogError(Exception ex, string format, params object[] args) => Write(LogLevel.Error, format, args);

    private void Write(LogLevel level, string format, object[] args)
    {
        if (logger.IsEnabled(level))
        {
            var text = string.Format(CultureInfo.InvariantCulture, format, args);
            LogMessage(logger, level, text);
        }
    }

    [LoggerMessage(Message = "migrations: {Text}")]
    private static partial void LogMessage(ILogger logger, LogLevel level, string text);
}
