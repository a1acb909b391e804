using Causeloop.Application.Webhooks;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Causeloop.Api.Pages.Portal;

/// <summary>
/// The fields of the portal's <c>Add endpoint</c> and <c>Edit</c> forms (<c>_WebhookFields</c>): the URL, the event types
/// chosen from the catalog, the description and the payload filter (JSON; empty for none). They go to the same commands
/// as the REST API, whose validation messages (keyed <c>url</c>, <c>event_types</c>, <c>description</c>, <c>filter</c>) are
/// shown next to their field.
/// </summary>
public sealed class WebhookForm
{
    public string? Url { get; init; }

    public IReadOnlyList<string> EventTypes { get; init; } = [];

    public string? Description { get; init; }

    /// <summary>The payload filter as typed (JSON), or empty for none.</summary>
    public string? Filter { get; init; }

    public static WebhookForm Of(WebhookDto webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return new WebhookForm { Url = webhook.Url, EventTypes = webhook.EventTypes ?? [], Description = webhook.Description, Filter = webhook.Filter?.GetRawText() };
    }

    /// <summary>
    /// The filter as the command takes it (null: none), or false with a message for the field when what was typed is not JSON
    /// (the command's validator says what is wrong with JSON that is not a filter).
    /// </summary>
    public bool TryFilter(ModelStateDictionary modelState, out JsonElement? filter)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        filter = null;
        if (string.IsNullOrWhiteSpace(Filter))
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(Filter);
            filter = document.RootElement.Clone();
            return true;
        }
        catch (JsonException e)
        {
            modelState.AddModelError("filter", $"The filter is not valid JSON: {e.Message}");
            return false;
        }
    }

    /// <summary>The description as the command takes it: an empty field is none.</summary>
    public string? DescriptionOrNull => string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();

    /// <summary>Puts a refused command's messages next to their fields.</summary>
    public static void Explain(ModelStateDictionary modelState, ValidationException refused)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(refused);
        foreach (var failure in refused.Errors)
        {
            modelState.AddModelError(failure.PropertyName, failure.ErrorMessage);
        }
    }

    public static void Explain(ModelStateDictionary modelState, IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                modelState.AddModelError(field, message);
            }
        }
    }
}
