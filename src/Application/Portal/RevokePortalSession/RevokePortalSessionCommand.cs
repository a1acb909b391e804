using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Portal.RevokePortalSession;

/// <summary>Revokes a portal session at once: its link and its cookie stop working on the next request.</summary>
public sealed record RevokePortalSessionCommand(Guid Id) : ICommand, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;
}
