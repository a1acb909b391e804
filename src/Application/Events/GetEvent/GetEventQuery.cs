using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Events.GetEvent;

/// <summary>One event with its lineage: the envelope, its cause and its deliveries.</summary>
public sealed record GetEventQuery(Guid Id) : IQuery<EventDetailDto>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}
