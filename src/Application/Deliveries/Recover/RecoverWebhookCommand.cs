using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Causeloop.Domain.Webhooks;
using FluentValidation;
using Mediator;

namespace Causeloop.Application.Deliveries.Recover;

/// <summary>
/// A fresh delivery to the webhook of every event created in <c>[since, until)</c> whose delivery to it ended
/// <c>dead</c> and that has no delivery to it under way or succeeded since (so a second call does not resend what a
/// first one recovered). Answers how many.
/// </summary>
public sealed record RecoverWebhookCommand(Guid WebhookId, DateTime? Since, DateTime? Until) : ICommand<int>, IRequireScope, IRequirePortalCapability
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Manage;
}

public sealed class RecoverWebhookCommandValidator : AbstractValidator<RecoverWebhookCommand>
{
    public RecoverWebhookCommandValidator()
    {
        RuleFor(c => c.Since).NotNull().WithMessage("since is required (an ISO 8601 time).").OverridePropertyName("since");
        RuleFor(c => c.Until).Must((c, until) => until is null || c.Since is null || until > c.Since)
            .WithMessage("until must be after since.").OverridePropertyName("until");
    }
}

public sealed class RecoverWebhookCommandHandler(ICurrentCaller caller, IWebhookReadStore webhooks, IDeliveryStore deliveries, TimeProvider time)
    : ICommandHandler<RecoverWebhookCommand, int>
{
    public async ValueTask<int> Handle(RecoverWebhookCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var webhook = await webhooks.GetAsync(caller.WorkspaceId, command.WebhookId, cancellationToken) ?? throw new NotFoundException("webhook");
        if (webhook.Direction != WebhookDirection.Outbound)
        {
            throw new ConflictException("Only an outbound webhook has deliveries to recover.");
        }

        var until = command.Until ?? DateTime.MaxValue;
        return await deliveries.RecoverAsync(caller.WorkspaceId, command.WebhookId, command.Since!.Value.ToUniversalTime(), until.ToUniversalTime(), time.UtcNow(), cancellationToken);
    }
}
