using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Portal;

/// <summary>
/// An outbound webhook as the portal's list shows it. The success rate (2xx answers among attempts of the last 24 h) and
/// the last attempt come from its latest <see cref="SampleDeliveries"/> deliveries, so the page stays cheap however
/// many deliveries a webhook has.
/// </summary>
public sealed record PortalWebhookSummary(
    Guid Id, string? Url, string? Description, bool Enabled, string? DisabledReason,
    double? SuccessRate24h, DateTime? LastAttemptAt, int? LastStatusCode, string? LastError)
{
    public const int SampleDeliveries = 100;
}

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

/// <summary>
/// The webhook's current signing secret, decrypted (the portal's <c>Reveal secret</c>); changes nothing. Showing a secret
/// is as much as rotating it (which shows the new one), so it needs what rotating needs: webhooks:admin and, for a portal
/// session, the <c>secrets</c> capability.
/// </summary>
public sealed record RevealWebhookSecretQuery(Guid WebhookId) : IQuery<string>, IRequireScope, IRequirePortalCapability
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Secrets;
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
