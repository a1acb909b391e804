using Causeloop.Domain.Webhooks;
using FluentValidation;

namespace Causeloop.Application.Webhooks.ListWebhooks;

public sealed class ListWebhooksQueryValidator : AbstractValidator<ListWebhooksQuery>
{
    public ListWebhooksQueryValidator()
    {
        RuleFor(q => q.Direction)
            .Must(d => d is null || WebhookDirection.IsKnown(d))
            .WithMessage("direction must be 'outbound' or 'inbound'.")
            .OverridePropertyName("direction");
    }
}
