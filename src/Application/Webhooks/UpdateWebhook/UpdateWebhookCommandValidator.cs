using Causeloop.Domain.Webhooks;
using FluentValidation;

namespace Causeloop.Application.Webhooks.UpdateWebhook;

public sealed class UpdateWebhookCommandValidator : AbstractValidator<UpdateWebhookCommand>
{
    public UpdateWebhookCommandValidator(TimeProvider time)
    {
        RuleFor(c => c.Url)
            .Custom((url, ctx) => ctx.AddFailureIf("url", url.IsPresent ? EndpointUrl.Validate(url.Value) : null));
        RuleFor(c => c.EventTypes)
            .Custom((types, ctx) => ctx.AddFailureIf("event_types", types.IsPresent ? EventTypeFilter.Validate(types.Value) : null));
        RuleFor(c => c.Enabled)
            .Must(e => !e.IsPresent || e.Value is not null)
            .WithMessage("enabled must be true or false.")
            .OverridePropertyName("enabled");
        RuleFor(c => c.Description)
            .Must(d => !d.IsPresent || d.Value is null || d.Value.Length <= WebhookRules.MaxDescriptionLength)
            .WithMessage($"description must be at most {WebhookRules.MaxDescriptionLength} characters.")
            .OverridePropertyName("description");
        RuleFor(c => c.Filter)
            .Custom((filter, ctx) => ctx.AddFailureIf("filter", filter.IsPresent ? WebhookRules.FilterProblem(filter.Value) : null));
        // The rules between url, headers and auth are checked by the handler, on the webhook as it will be.
        RuleFor(c => c.Headers)
            .Custom((headers, ctx) => ctx.AddFailureIf("headers", headers.IsPresent ? EndpointHeaders.Validate(headers.Value, withAuth: false) : null));
        RuleFor(c => c.Auth)
            .Custom((auth, ctx) => ctx.AddFailureIf("auth", auth.IsPresent ? EndpointAuth.Validate(auth.Value, null, time.GetUtcNow()) : null));
        RuleFor(c => c.RateLimit)
            .Custom((rate, ctx) => ctx.AddFailureIf("rate_limit", rate.IsPresent ? Domain.Deliveries.RateLimit.Validate(rate.Value) : null));
        RuleFor(c => c)
            .Must(c => c.Url.IsPresent || c.EventTypes.IsPresent || c.Enabled.IsPresent || c.Description.IsPresent || c.Filter.IsPresent || c.Headers.IsPresent || c.Auth.IsPresent
                || c.RateLimit.IsPresent)
            .WithMessage("Send at least one of url, event_types, enabled, description, filter, headers, auth, rate_limit.")
            .OverridePropertyName("body");
    }
}
