using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Portal.RevealWebhookSecret;

public sealed class RevealWebhookSecretQueryHandler(ICurrentCaller caller, IPortalReadStore store, ISecretProtector protector)
    : IQueryHandler<RevealWebhookSecretQuery, string>
{
    public async ValueTask<string> Handle(RevealWebhookSecretQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var secret = await store.SecretAsync(caller.WorkspaceId, query.WebhookId, cancellationToken) ?? throw new NotFoundException("webhook");
        return protector.Unprotect(secret);
    }
}
