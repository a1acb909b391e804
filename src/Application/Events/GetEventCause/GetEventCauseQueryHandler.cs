using Causeloop.Application.Abstractions;
using Causeloop.Domain.Events;
using Mediator;

namespace Causeloop.Application.Events.GetEventCause;

public sealed class GetEventCauseQueryHandler(ICurrentCaller caller, IEventReadStore events) : IQueryHandler<GetEventCauseQuery, EventCause?>
{
    public async ValueTask<EventCause?> Handle(GetEventCauseQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await events.CauseAsync(caller.WorkspaceId, query.EventId, cancellationToken);
    }
}
