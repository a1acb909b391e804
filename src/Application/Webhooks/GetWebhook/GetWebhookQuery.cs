using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Webhooks.GetWebhook;

public sealed record GetWebhookQuery(Guid Id) : IQuery<WebhookDto>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}
