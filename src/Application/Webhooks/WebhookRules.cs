using System.Text.Json;
using Causeloop.Domain.Webhooks.Filters;
using FluentValidation;

namespace Causeloop.Application.Webhooks;

public static class WebhookRules
{
    public const int MaxDescriptionLength = 500;

    /// <summary>What is wrong with a webhook's <c>filter</c> (null when it is a filter, or JSON null: none).</summary>
    public static string? FilterProblem(JsonElement? filter)
    {
        if (filter is not { ValueKind: not JsonValueKind.Null } value)
        {
            return null;
        }

        _ = PayloadFilter.Parse(value, out var error);
        return error;
    }

    /// <summary>The filter as stored (compact JSON the domain checked), or null for none.</summary>
    public static string? StoredFilter(JsonElement? filter) =>
        filter is { ValueKind: not JsonValueKind.Null } value ? PayloadFilter.Parse(value, out _)?.Json : null;

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
