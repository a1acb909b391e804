using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Webhooks.GetWebhook;

public sealed class GetWebhookQueryHandler(ICurrentCaller caller, IWebhookReadStore store, IInboundUrls inboundUrls)
    : IQueryHandler<GetWebhookQuery, WebhookDto>
{
    public async ValueTask<WebhookDto> Handle(GetWebhookQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var webhook = await store.GetAsync(caller.WorkspaceId, query.Id, cancellationToken) ?? throw new NotFoundException("webhook");
        return WebhookDto.From(webhook, inboundUrls);
    }
}
