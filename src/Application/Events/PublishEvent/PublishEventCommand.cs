using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Events.PublishEvent;

public sealed record PublishEventCommand(string? Type, JsonElement? Data, string? IdempotencyKey, string? OrderingKey = null) : ICommand<PublishedEvent>, IRequireScope, ICommitsItself
{
    public static Scope RequiredScope => Scope.EventsWrite;
}
