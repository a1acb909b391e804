using Causeloop.Domain.Webhooks;
using Mediator;

namespace Causeloop.Application.EventTypes.ListEventTypes;

public sealed class ListEventTypesQueryHandler : IQueryHandler<ListEventTypesQuery, IReadOnlyList<EventType>>
{
    public ValueTask<IReadOnlyList<EventType>> Handle(ListEventTypesQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(EventType.Catalog);
}
