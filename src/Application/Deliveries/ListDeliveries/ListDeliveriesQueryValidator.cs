using Causeloop.Domain.Deliveries;
using FluentValidation;

namespace Causeloop.Application.Deliveries.ListDeliveries;

public sealed class ListDeliveriesQueryValidator : AbstractValidator<ListDeliveriesQuery>
{
    public ListDeliveriesQueryValidator()
    {
        RuleFor(q => q.Status)
            .Must(s => s is null || DeliveryStatus.IsKnown(s))
            .WithMessage($"status must be one of: {string.Join(", ", DeliveryStatus.All)}.")
            .OverridePropertyName("status");
    }
}
