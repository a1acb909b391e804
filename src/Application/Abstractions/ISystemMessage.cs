namespace Causeloop.Application.Abstractions;

/// <summary>
/// A message with no API-key caller (inbound webhooks are authenticated by their signature instead).
/// Every message is either this or <see cref="IRequireScope"/>; a test enforces it.
/// </summary>
public interface ISystemMessage;
