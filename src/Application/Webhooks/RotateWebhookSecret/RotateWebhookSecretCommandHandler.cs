using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Signing;
using Mediator;

namespace Causeloop.Application.Webhooks.RotateWebhookSecret;

/// <summary>A new secret becomes current; the old one stays valid for the overlap (inbound accepts both, outbound signs with both).</summary>
public sealed class RotateWebhookSecretCommandHandler(
    ICurrentCaller caller,
    IWebhookRepository webhooks,
    IConnectorRepository connectors,
    ISecretProtector protector,
    IInboundUrls inboundUrls,
    WebhookSettings settings,
    TimeProvider time,
    IUnitOfWork unitOfWork,
    IInboundEndpoints inboundEndpoints) : ICommandHandler<RotateWebhookSecretCommand, WebhookWithSecretDto>
{
    public async ValueTask<WebhookWithSecretDto> Handle(RotateWebhookSecretCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        unitOfWork.AfterCommit(inboundEndpoints.Invalidate);
        var current = await webhooks.GetForUpdateAsync(caller.WorkspaceId, command.Id, cancellationToken)
            ?? throw new NotFoundException("webhook");
        var now = time.UtcNow();
        var secret = SigningSecret.Generate();
        if (command.SigningSecret is not null)
        {
            if (current.ConnectorId is not { } connectorId)
            {
                throw new BadRequestException("signing_secret", "signing_secret can only be imported for an inbound webhook; an outbound webhook's secret is generated.");
            }

            var kind = await connectors.KindAsync(caller.WorkspaceId, connectorId, cancellationToken) ?? throw new NotFoundException("connector");
            secret = SigningSecret.Import(command.SigningSecret, kind, out var problem) ?? throw new BadRequestException("signing_secret", problem!);
        }

        var rotated = current with
        {
            Secret = protector.Protect(secret.Value),
            PreviousSecret = current.Secret,
            PreviousSecretExpiresAt = now + settings.SecretOverlap,
            UpdatedAt = now,
        };

        await webhooks.UpdateAsync(rotated, cancellationToken);
        return new WebhookWithSecretDto(WebhookDto.From(rotated, inboundUrls), secret.Value);
    }
}
