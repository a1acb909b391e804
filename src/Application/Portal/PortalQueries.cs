using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Portal;

/// <summary>An outbound webhook as the portal's list shows it.</summary>
public sealed record PortalWebhookSummary(
    Guid Id, string? Url, string? Description, bool Enabled, string? DisabledReason,
    double? SuccessRate24h, DateTime? LastAttemptAt, int? LastStatusCode, string? LastError);

/// <summary>The workspace's outbound webhooks (or only <see cref="Only"/>), with their last 24 h success rate and last attempt.</summary>
public sealed record ListPortalWebhooksQuery(IReadOnlyList<Guid>? Only) : IQuery<IReadOnlyList<PortalWebhookSummary>>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}

public sealed class ListPortalWebhooksQueryHandler(ICurrentCaller caller, IPortalReadStore store)
    : IQueryHandler<ListPortalWebhooksQuery, IReadOnlyList<PortalWebhookSummary>>
{
    public async ValueTask<IReadOnlyList<PortalWebhookSummary>> Handle(ListPortalWebhooksQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await store.ListWebhooksAsync(caller.WorkspaceId, query.Only?.ToArray(), cancellationToken);
    }
}

/// <summary>The webhook's current signing secret, decrypted (the portal's <c>Reveal secret</c>); changes nothing.</summary>
public sealed record RevealWebhookSecretQuery(Guid WebhookId) : IQuery<string>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}

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
