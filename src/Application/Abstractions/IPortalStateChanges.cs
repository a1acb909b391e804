namespace Causeloop.Application.Abstractions;

/// <summary>When portal sessions enabled or disabled each webhook, kept only as long as <c>ManualChangeLimit.Window</c> needs.</summary>
public interface IPortalStateChanges
{
    /// <summary>The times of the webhook's portal changes after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<DateTime>> SinceAsync(Guid workspaceId, Guid webhookId, DateTime since, CancellationToken cancellationToken);

    /// <summary>Records a change at <paramref name="at"/> and forgets the webhook's changes at or before <paramref name="forgetUpTo"/>.</summary>
    Task RecordAsync(Guid workspaceId, Guid webhookId, DateTime at, DateTime forgetUpTo, CancellationToken cancellationToken);
}
