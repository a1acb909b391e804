using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Causeloop.Domain.Webhooks;
using Mediator;

namespace Causeloop.Application.EventTypes.ListEventTypes;

public sealed record ListEventTypesQuery : IQuery<IReadOnlyList<EventType>>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}
