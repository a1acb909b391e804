namespace Causeloop.Application.Common;

/// <summary>The request's body did not arrive in time; answered 408. Nothing was stored.</summary>
public sealed class RequestBodyTimeoutException(string message) : Exception(message), IRejection;
