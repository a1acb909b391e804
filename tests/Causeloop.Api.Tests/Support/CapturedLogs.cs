using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// Keeps what the service logs, as far as its logging configuration lets it through (Information and up unless a
/// fixture's settings lower a category's level), so a test can assert on levels and a failing test can show them.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _all = new();

    /// <summary>The service's warnings and errors so far.</summary>
    public IReadOnlyList<string> Entries => _all.Where(e => e.Level >= LogLevel.Warning).Select(e => e.ToString()).ToArray();

    /// <summary>Every entry so far, in order.</summary>
    public IReadOnlyList<CapturedLog> All => _all.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._all.Enqueue(new CapturedLog(logLevel, category, $"{formatter(state, exception)} {exception}"));
            }
        }
    }
}
