using Causeloop.Domain.Webhooks;
using FluentValidation;

namespace Causeloop.Application.Webhooks.TestWebhook;

public sealed class TestWebhookCommandValidator : AbstractValidator<TestWebhookCommand>
{
    public TestWebhookCommandValidator()
    {
        RuleFor(c => c.EventType).Must(t => t is null || EventType.IsKnown(t))
            .WithMessage("Unknown event type. See GET /v1/event-types.").OverridePropertyName("event_type");
    }
}
