using Causeloop.Domain.Webhooks;
using FluentValidation;

namespace Causeloop.Application.Webhooks.CreateWebhook;

public sealed class CreateWebhookCommandValidator : AbstractValidator<CreateWebhookCommand>
{
    public CreateWebhookCommandValidator(TimeProvider time)
    {
        When(c => c.ConnectorId is null, () =>
        {
            RuleFor(c => c.Url).Custom((url, ctx) => ctx.AddFailureIf("url", EndpointUrl.Validate(url)));
            RuleFor(c => c.EventTypes).Custom((types, ctx) => ctx.AddFailureIf("event_types", EventTypeFilter.Validate(types)));
            RuleFor(c => c.SigningSecret).Null()
                .WithMessage("signing_secret can only be imported for an inbound webhook; an outbound webhook's secret is generated.")
                .OverridePropertyName("signing_secret");
            RuleFor(c => c.Filter).Custom((filter, ctx) => ctx.AddFailureIf("filter", WebhookRules.FilterProblem(filter)));
            RuleFor(c => c.Headers).Custom((headers, ctx) => ctx.AddFailureIf("headers", EndpointHeaders.Validate(headers, ctx.InstanceToValidate.Auth is not null)));
            RuleFor(c => c.Auth).Custom((auth, ctx) => ctx.AddFailureIf("auth", EndpointAuth.Validate(auth, ctx.InstanceToValidate.Url, time.GetUtcNow())));
            RuleFor(c => c.RateLimit).Custom((rate, ctx) => ctx.AddFailureIf("rate_limit", Domain.Deliveries.RateLimit.Validate(rate)));
        }).Otherwise(() =>
        {
            RuleFor(c => c.RateLimit).Null().WithMessage("An inbound webhook sends nothing, so it has no rate_limit.").OverridePropertyName("rate_limit");
            RuleFor(c => c.Headers).Null().WithMessage("An inbound webhook sends nothing, so it has no headers.").OverridePropertyName("headers");
            RuleFor(c => c.Auth).Null().WithMessage("An inbound webhook sends nothing, so it has no auth.").OverridePropertyName("auth");
            RuleFor(c => c.Url).Null().WithMessage("An inbound webhook has no url.").OverridePropertyName("url");
            RuleFor(c => c.EventTypes).Null().WithMessage("An inbound webhook has no event_types.").OverridePropertyName("event_types");
            RuleFor(c => c.Filter).Must(f => f is null or { ValueKind: System.Text.Json.JsonValueKind.Null })
                .WithMessage("An inbound webhook has no filter.").OverridePropertyName("filter");
        });

        RuleFor(c => c.Description).MaximumLength(WebhookRules.MaxDescriptionLength).OverridePropertyName("description");
    }
}
