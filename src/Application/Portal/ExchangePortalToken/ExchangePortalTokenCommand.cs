using Causeloop.Application.Abstractions;
using Mediator;

namespace Causeloop.Application.Portal.ExchangePortalToken;

/// <summary>
/// Exchanges the link's one-time token for a session cookie (returned in clear once, stored hashed). A reused,
/// expired, revoked or unknown token is refused alike.
/// </summary>
public sealed record ExchangePortalTokenCommand(string Token) : ICommand<string>, ISystemMessage;
