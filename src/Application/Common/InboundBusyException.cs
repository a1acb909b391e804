namespace Causeloop.Application.Common;

/// <summary>Too many inbound bodies are being received at once; answered 503 with <c>Retry-After</c>. Nothing was stored.</summary>
public sealed class InboundBusyException(string message) : Exception(message), IRejection;
