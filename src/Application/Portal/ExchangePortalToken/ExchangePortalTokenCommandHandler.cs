using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Portal.ExchangePortalToken;

public sealed class ExchangePortalTokenCommandHandler(IPortalSessions sessions, TimeProvider time) : ICommandHandler<ExchangePortalTokenCommand, string>
{
    public async ValueTask<string> Handle(ExchangePortalTokenCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrWhiteSpace(command.Token) || command.Token.Length > 100)
        {
            throw new UnauthenticatedException();
        }

        var cookie = PortalSecret.New();
        _ = await sessions.ExchangeAsync(PortalSecret.Hash(command.Token.Trim()), PortalSecret.Hash(cookie), time.UtcNow(), cancellationToken)
            ?? throw new UnauthenticatedException();
        return cookie;
    }
}
