using Causeloop.Domain.Portal;
using FluentValidation;

namespace Causeloop.Application.Portal.CreatePortalSession;

public sealed class CreatePortalSessionCommandValidator : AbstractValidator<CreatePortalSessionCommand>
{
    public CreatePortalSessionCommandValidator()
    {
        RuleFor(c => c.Capabilities).Must(c => PortalCapability.Normalise(c) is not null)
            .WithMessage($"capabilities must be among: {string.Join(", ", PortalCapability.All)}.").OverridePropertyName("capabilities");
        RuleFor(c => c.ExpiresIn).InclusiveBetween((int)PortalCapability.MinLifetime.TotalSeconds, (int)PortalCapability.MaxLifetime.TotalSeconds)
            .When(c => c.ExpiresIn is not null)
            .WithMessage($"expires_in must be between {PortalCapability.MinLifetime.TotalSeconds} and {PortalCapability.MaxLifetime.TotalSeconds} seconds.")
            .OverridePropertyName("expires_in");
        RuleFor(c => c.WebhookIds).Must(ids => ids is null || ids.Count is > 0 and <= 100)
            .WithMessage("webhook_ids must list 1 to 100 ids, or be left out (with connector_ids also left out, the session covers the whole workspace).")
            .OverridePropertyName("webhook_ids");
        RuleFor(c => c.ConnectorIds).Must(ids => ids is null || ids.Count is > 0 and <= 100)
            .WithMessage("connector_ids must list 1 to 100 ids, or be left out (with webhook_ids also left out, the session covers the whole workspace).")
            .OverridePropertyName("connector_ids");
    }
}
