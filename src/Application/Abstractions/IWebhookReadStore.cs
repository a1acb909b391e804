using Causeloop.Application.Common;
using Causeloop.Application.Webhooks;

namespace Causeloop.Application.Abstractions;

public interface IWebhookReadStore
{
    Task<Webhook?> GetAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken);

    /// <summary>Up to <c>page.Limit + 1</c> webhooks after the cursor, newest first.</summary>
    Task<IReadOnlyList<Webhook>> ListAsync(Guid workspaceId, string? direction, bool? enabled, PageRequest page, CancellationToken cancellationToken);
}
