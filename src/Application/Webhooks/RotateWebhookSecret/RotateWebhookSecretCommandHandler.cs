using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Signing;
using Mediator;

namespace Causeloop.Application.Webhooks.RotateWebhookSecret;

/// <summary>A new secret becomes current; the old one stays valid for the overlap (inbound accepts both, outbound signs with both).</summary>
public sealed class RotateWebhookSecretCommandHandler(
    ICurrentCaller caller,
    IWebhookRepository webhooks,
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
