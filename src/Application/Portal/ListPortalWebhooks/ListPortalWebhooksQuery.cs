using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Portal.ListPortalWebhooks;

/// <summary>The workspace's outbound webhooks (or only <see cref="Only"/>), with their last 24 h success rate and last attempt.</summary>
public sealed record ListPortalWebhooksQuery(IReadOnlyList<Guid>? Only) : IQuery<IReadOnlyList<PortalWebhookSummary>>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}
