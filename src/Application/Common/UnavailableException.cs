namespace Causeloop.Application.Common;

/// <summary>The service cannot take the request right now (for example it is stopping); answered 503.</summary>
public sealed class UnavailableException(string message) : Exception(message);
