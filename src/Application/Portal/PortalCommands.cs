using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using FluentValidation;
using Mediator;

namespace Causeloop.Application.Portal;

/// <summary>
/// Opens a portal session for the whole workspace (both lists left out), or only for the listed webhooks and connectors:
/// when one list is given, the other one left out means none.
/// </summary>
public sealed record CreatePortalSessionCommand(
    IReadOnlyList<Guid>? WebhookIds, IReadOnlyList<Guid>? ConnectorIds, IReadOnlyList<string>? Capabilities, int? ExpiresIn)
    : ICommand<PortalSessionCreated>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;
}

public sealed class CreatePortalSessionCommandValidator : AbstractValidator<CreatePortalSessionCommand>
{
    public CreatePortalSessionCommandValidator()
    {
        RuleFor(c => c.Capabilities).Must(c => PortalCapability.Normalise(c) is not null)
            .WithMessage($"capabilities must be among: {string.Join(", ", PortalCapability.All)}.").OverridePropertyName("capabilities");
        RuleFor(c => c.ExpiresIn).InclusiveBetween((int)PortalCapability.MinLifetime.TotalSeconds, (int)PortalCapability.MaxLifetime.TotalSeconds)
            .When(c => c.ExpiresIn is not null)
            .WithMessage($"expires_in must be between {PortalCapability.MinLifetime.TotalSeconds} and {PortalCapability.MaxLifetime.TotalSeconds} seconds.")
            .OverridePropertyName("expires_in");
        RuleFor(c => c.WebhookIds).Must(ids => ids is null || ids.Count is > 0 and <= 100)
            .WithMessage("webhook_ids must list 1 to 100 ids, or be left out (with connector_ids also left out, the session covers the whole workspace).")
            .OverridePropertyName("webhook_ids");
        RuleFor(c => c.ConnectorIds).Must(ids => ids is null || ids.Count is > 0 and <= 100)
            .WithMessage("connector_ids must list 1 to 100 ids, or be left out (with webhook_ids also left out, the session covers the whole workspace).")
            .OverridePropertyName("connector_ids");
    }
}

public sealed class CreatePortalSessionCommandHandler(ICurrentCaller caller, IPortalSessions sessions, IPortalUrls urls, TimeProvider time)
    : ICommandHandler<CreatePortalSessionCommand, PortalSessionCreated>
{
    public async ValueTask<PortalSessionCreated> Handle(CreatePortalSessionCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        // §12: the whole workspace only when both lists are left out; once one is given, the other left out means none.
        var wholeWorkspace = command.WebhookIds is null && command.ConnectorIds is null;
        Guid[]? webhookIds = wholeWorkspace ? null : [.. (command.WebhookIds ?? []).Distinct()];
        Guid[]? connectorIds = wholeWorkspace ? null : [.. (command.ConnectorIds ?? []).Distinct()];
        if (connectorIds is { Length: > 0 } && !caller.Scopes.Permits(Scope.ConnectorsRead))
        {
            // A session never grants more than the key that opens it: a key that cannot read connectors cannot share one.
            throw new MissingScopeException(Scope.ConnectorsRead);
        }

        var owned = await sessions.CountOwnedAsync(caller.WorkspaceId, webhookIds ?? [], connectorIds ?? [], cancellationToken);
        if (owned != (webhookIds?.Length ?? 0) + (connectorIds?.Length ?? 0))
        {
            throw new NotFoundException("outbound webhook or connector");
        }

        var now = time.UtcNow();
        var token = PortalSecret.New();
        var session = new PortalSession(
            Ids.New(time), caller.WorkspaceId, PortalSecret.Hash(token), null, webhookIds, connectorIds,
            [.. PortalCapability.Normalise(command.Capabilities)!], [.. caller.Scopes.Scopes.Select(s => s.Value)], now,
            now + (command.ExpiresIn is { } seconds ? TimeSpan.FromSeconds(seconds) : PortalCapability.DefaultLifetime), null, null);
        await sessions.InsertAsync(session, cancellationToken);
        return new PortalSessionCreated(session.Id, urls.Link(token), session.ExpiresAt);
    }
}

/// <summary>Revokes a portal session at once: its link and its cookie stop working on the next request.</summary>
public sealed record RevokePortalSessionCommand(Guid Id) : ICommand, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;
}

public sealed class RevokePortalSessionCommandHandler(ICurrentCaller caller, IPortalSessions sessions, TimeProvider time)
    : ICommandHandler<RevokePortalSessionCommand>
{
    public async ValueTask<Unit> Handle(RevokePortalSessionCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!await sessions.RevokeAsync(caller.WorkspaceId, command.Id, time.UtcNow(), cancellationToken))
        {
            throw new NotFoundException("portal session");
        }

        return Unit.Value;
    }
}

/// <summary>
/// Exchanges the link's one-time token for a session cookie (returned in clear once, stored hashed). A reused,
/// expired, revoked or unknown token is refused alike.
/// </summary>
public sealed record ExchangePortalTokenCommand(string Token) : ICommand<string>, ISystemMessage;

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
