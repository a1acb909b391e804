using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Signing;
using Causeloop.Domain.Webhooks;
using Mediator;

namespace Causeloop.Application.Webhooks.CreateWebhook;

public sealed class CreateWebhookCommandHandler(
    ICurrentCaller caller,
    IWebhookRepository webhooks,
    IConnectorRepository connectors,
    ISecretProtector protector,
    IInboundUrls inboundUrls,
    TimeProvider time,
    IUnitOfWork unitOfWork,
    IInboundEndpoints inboundEndpoints,
    IPortalSessions portalSessions) : ICommandHandler<CreateWebhookCommand, WebhookWithSecretDto>
{
    public async ValueTask<WebhookWithSecretDto> Handle(CreateWebhookCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        unitOfWork.AfterCommit(inboundEndpoints.Invalidate);
        var now = time.UtcNow();
        var secret = SigningSecret.Generate();
        var inbound = command.ConnectorId is not null;

        if (command.ConnectorId is { } connectorId)
        {
            var kind = await connectors.KindAsync(caller.WorkspaceId, connectorId, cancellationToken) ?? throw new NotFoundException("connector");
            if (command.SigningSecret is not null)
            {
                secret = SigningSecret.Import(command.SigningSecret, kind, out var problem) ?? throw new BadRequestException("signing_secret", problem!);
            }
        }

        var webhook = new Webhook
        {
            Id = Ids.New(time),
            WorkspaceId = caller.WorkspaceId,
            Direction = inbound ? WebhookDirection.Inbound : WebhookDirection.Outbound,
            Url = inbound ? null : command.Url,
            ConnectorId = command.ConnectorId,
            EventTypes = inbound ? null : command.EventTypes!.ToArray(),
            Enabled = command.Enabled ?? true,
            Description = command.Description,
            Filter = inbound ? null : WebhookRules.StoredFilter(command.Filter),
            RateLimit = inbound ? null : (int?)command.RateLimit,
            Secret = protector.Protect(secret.Value),
            CreatedAt = now,
            UpdatedAt = now,
        }.WithEndpointSettings(command.Headers, command.Auth, protector);

        if (!await webhooks.InsertAsync(webhook, cancellationToken))
        {
            throw new ConflictException("This connector already has an inbound webhook.");
        }

        if (caller.PortalSessionId is { } session)
        {
            // Added from the portal: the endpoint joins the session's scope (a no-op for a session covering the workspace).
            await portalSessions.AddWebhookAsync(caller.WorkspaceId, session, webhook.Id, cancellationToken);
        }

        return new WebhookWithSecretDto(WebhookDto.From(webhook, inboundUrls), secret.Value);
    }
}
