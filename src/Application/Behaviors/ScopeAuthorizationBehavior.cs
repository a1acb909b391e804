using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Behaviors;

/// <summary>
/// Refuses a message whose caller lacks the scope it declares or, for a portal session, the capability it names (a
/// portal session sends nothing beyond reading that names no capability), and the one more its content may need
/// (<see cref="IRequireExtraPortalCapability"/>). System messages pass; anything else is refused.
/// </summary>
public sealed class ScopeAuthorizationBehavior<TMessage, TResponse>(ICurrentCaller caller) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly Scope? Needed = MessageScope.Of(typeof(TMessage));
    private static readonly string? Capability = MessageScope.CapabilityOf(typeof(TMessage));
    private static readonly bool IsSystem = MessageScope.IsSystem(typeof(TMessage));

    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (Needed is null)
        {
            return IsSystem
                ? next(message, cancellationToken)
                : throw new InvalidOperationException($"{typeof(TMessage).Name} declares neither a scope nor that it is a system message.");
        }

        if (!caller.IsAuthenticated)
        {
            throw new UnauthenticatedException();
        }

        if (!caller.Scopes.Permits(Needed))
        {
            throw new MissingScopeException(Needed);
        }

        if (!caller.Scopes.Permits(Needed, Capability))
        {
            throw new MissingCapabilityException(Capability);
        }

        if (message is IRequireExtraPortalCapability { ExtraCapability: { } extra } && !caller.Scopes.Permits(Needed, extra))
        {
            throw new MissingCapabilityException(extra);
        }

        return next(message, cancellationToken);
    }
}
