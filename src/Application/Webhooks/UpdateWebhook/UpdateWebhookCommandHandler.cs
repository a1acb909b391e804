using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Portal;
using Causeloop.Domain.Webhooks;
using Mediator;

namespace Causeloop.Application.Webhooks.UpdateWebhook;

public sealed class UpdateWebhookCommandHandler(ICurrentCaller caller, IWebhookRepository webhooks, IInboundUrls inboundUrls, TimeProvider time,
    IUnitOfWork unitOfWork, IInboundEndpoints inboundEndpoints, IOutbox outbox, IPortalStateChanges portalChanges, ManualChangeLimit portalLimit,
    ISecretProtector protector)
    : ICommandHandler<UpdateWebhookCommand, WebhookDto>
{
    public async ValueTask<WebhookDto> Handle(UpdateWebhookCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        unitOfWork.AfterCommit(inboundEndpoints.Invalidate); // a change to connectors' verification takes effect at once
        var current = await webhooks.GetForUpdateAsync(caller.WorkspaceId, command.Id, cancellationToken)
            ?? throw new NotFoundException("webhook");

        if (current.Direction == WebhookDirection.Inbound && (command.Url.IsPresent || command.EventTypes.IsPresent || command.Filter.IsPresent))
        {
            throw new BadRequestException(
                command.Url.IsPresent ? "url" : command.EventTypes.IsPresent ? "event_types" : "filter", "An inbound webhook has no url, event_types or filter.");
        }

        if (current.Direction == WebhookDirection.Inbound && (command.Headers.IsPresent || command.Auth.IsPresent || command.RateLimit.IsPresent))
        {
            throw new BadRequestException(
                command.Headers.IsPresent ? "headers" : command.Auth.IsPresent ? "auth" : "rate_limit", "An inbound webhook sends nothing, so it has no headers, auth or rate_limit.");
        }

        var enabled = command.Enabled.IsPresent ? command.Enabled.Value!.Value : current.Enabled;
        if (caller.Scopes.IsPortalSession && enabled != current.Enabled)
        {
            await CountPortalChangeAsync(current.Id, cancellationToken);
        }

        var (health, _) = current.Health.AfterManualChange(enabled); // enabling again starts a fresh failing streak
        var updated = current.WithHealth(health) with
        {
            Url = command.Url.Or(current.Url),
            EventTypes = command.EventTypes.IsPresent ? command.EventTypes.Value!.ToArray() : current.EventTypes,
            Description = command.Description.Or(current.Description),
            Filter = command.Filter.IsPresent ? WebhookRules.StoredFilter(command.Filter.Value) : current.Filter,
            RateLimit = command.RateLimit.IsPresent ? (int?)command.RateLimit.Value : current.RateLimit,
            DisabledReason = enabled ? null : current.DisabledReason,
            UpdatedAt = time.UtcNow(),
        };

        if (command.Headers.IsPresent)
        {
            updated = updated.WithHeaders(command.Headers.Value, protector);
        }

        if (command.Auth.IsPresent)
        {
            updated = updated.WithAuth(command.Auth.Value, protector);
        }

        if (EndpointSettings.Conflict(updated, command.Auth.IsPresent) is var (field, reason))
        {
            throw new BadRequestException(field, reason);
        }

        await webhooks.UpdateAsync(updated, cancellationToken);

        // endpoint.disabled (manual) / endpoint.enabled, in the same transaction as the change.
        if (current.Direction == WebhookDirection.Outbound
            && Deliveries.OperationalEvents.AfterManualChange(
                caller.WorkspaceId, current.Id, updated.Url, current.Health, enabled, Ids.New(time), time.GetUtcNow()) is { } alert)
        {
            await outbox.EnqueueAsync(alert, cancellationToken);
        }

        return WebhookDto.From(updated, inboundUrls);
    }

    /// <summary>
    /// A portal session's enable or disable counts against the webhook's <see cref="ManualChangeLimit"/>: each one emits an
    /// operational event. Runs under the webhook's row lock, in the change's transaction (a refused change records nothing).
    /// </summary>
    private async Task CountPortalChangeAsync(Guid webhookId, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        var since = now - portalLimit.Window;
        var recent = await portalChanges.SinceAsync(caller.WorkspaceId, webhookId, since, cancellationToken);
        if (portalLimit.WaitBefore(recent, now) is { } wait)
        {
            throw new RateLimitedException(wait,
                $"This webhook was enabled or disabled {portalLimit.Limit} times from the portal within {Describe(portalLimit.Window)}, the most allowed. " +
                $"Nothing was changed; try again in {Describe(wait)}.");
        }

        await portalChanges.RecordAsync(caller.WorkspaceId, webhookId, now, since, cancellationToken);
    }

    private static string Describe(TimeSpan span) => span switch
    {
        { TotalSeconds: < 90 } => $"{Math.Max(1, Math.Ceiling(span.TotalSeconds)):0} seconds",
        { TotalMinutes: < 120 } => $"{Math.Ceiling(span.TotalMinutes):0} minutes",
        _ => $"{span.TotalHours:0.#} hours",
    };
}
