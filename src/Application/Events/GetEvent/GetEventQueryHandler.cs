using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Events.GetEvent;

public sealed class GetEventQueryHandler(ICurrentCaller caller, IEventReadStore events) : IQueryHandler<GetEventQuery, EventDetailDto>
{
    public async ValueTask<EventDetailDto> Handle(GetEventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await events.GetAsync(caller.WorkspaceId, query.Id, cancellationToken) ?? throw new NotFoundException("event");
    }
}
