using FluentValidation;

namespace Causeloop.Application.Webhooks;

public static class WebhookRules
{
    public const int MaxDescriptionLength = 500;

    /// <summary>Adds a failure when a domain rule returned a reason.</summary>
    public static void AddFailureIf<T>(this ValidationContext<T> context, string field, string? reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (reason is not null)
        {
            context.AddFailure(field, reason);
        }
    }
}
