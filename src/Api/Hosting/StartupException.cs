namespace Causeloop.Api.Hosting;

/// <summary>A configuration problem that stops the service from starting; its message says what to fix.</summary>
public sealed class StartupException(string message) : Exception(message);
