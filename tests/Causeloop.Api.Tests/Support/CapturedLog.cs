using Microsoft.Extensions.Logging;

namespace Causeloop.Api.Tests.Support;

/// <summary>One entry the service logged.</summary>
public sealed record CapturedLog(LogLevel Level, string Category, string Message)
{
    public override string ToString() => $"{Level} {Category}: {Message}";
}
