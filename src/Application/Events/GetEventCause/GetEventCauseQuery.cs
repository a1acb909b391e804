using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Causeloop.Domain.Events;
using Mediator;

namespace Causeloop.Application.Events.GetEventCause;

/// <summary>Where one event came from, without its deliveries (the portal's delivery page); null when none was recorded.</summary>
public sealed record GetEventCauseQuery(Guid EventId) : IQuery<EventCause?>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}
