using Causeloop.Domain.Webhooks;
using FluentValidation;

namespace Causeloop.Application.Deliveries.Recover;

public sealed class RecoverWebhookCommandValidator : AbstractValidator<RecoverWebhookCommand>
{
    public const int MaxEventTypes = 100;

    public RecoverWebhookCommandValidator()
    {
        RuleFor(c => c.Since).NotNull().WithMessage("since is required (an ISO 8601 time).").OverridePropertyName("since");
        RuleFor(c => c.Until).Must((c, until) => until is null || c.Since is null || until > c.Since)
            .WithMessage("until must be after since.").OverridePropertyName("until");
        RuleFor(c => c.EventTypes)
            .Must(types => types is null || (types.Count is > 0 and <= MaxEventTypes && types.All(EventType.IsKnown)))
            .WithMessage($"event_types must list 1 to {MaxEventTypes} types of the catalog (GET /v1/event-types), or be left out for every type.")
            .OverridePropertyName("event_types");
    }
}
