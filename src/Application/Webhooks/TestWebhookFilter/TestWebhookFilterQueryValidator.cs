using System.Text.Json;
using FluentValidation;

namespace Causeloop.Application.Webhooks.TestWebhookFilter;

public sealed class TestWebhookFilterQueryValidator : AbstractValidator<TestWebhookFilterQuery>
{
    public TestWebhookFilterQueryValidator()
    {
        RuleFor(q => q.Type)
            .NotEmpty()
            .WithMessage("type is required: the event type to test the filter with.")
            .OverridePropertyName("type");
        RuleFor(q => q.Data)
            .Must(d => d is { ValueKind: JsonValueKind.Object })
            .WithMessage("data must be a JSON object, as in POST /v1/events.")
            .OverridePropertyName("data");
    }
}
