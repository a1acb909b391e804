using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.ErrorHandling;

/// <summary>Malformed JSON, wrong types, unknown fields and bad query values, as a 400 with field → messages.</summary>
public static class ModelStateProblems
{
    public static IActionResult Create(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entries = context.ModelState
            .Where(e => e.Value is { Errors.Count: > 0 })
            .SelectMany(e => e.Value!.Errors.Select(error => (Field: FieldName(e.Key), Message: Clean(error.ErrorMessage))))
            .ToList();
        // "The request field is required." only repeats that the body could not be read; keep it only when alone.
        if (entries.Count > 1)
        {
            entries.RemoveAll(e => e.Message == RequestRequired);
        }

        var errors = entries
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray());
        var problem = new ValidationProblemDetails(errors)
        {
            Status = 400,
            Type = ProblemTypes.Validation,
            Title = "Validation failed",
            Detail = "The request is malformed or has invalid fields.",
            Instance = context.HttpContext.Request.Path,
        };
        return new ObjectResult(problem) { StatusCode = 400, ContentTypes = { "application/problem+json" } };
    }

    private static string FieldName(string key) => key switch
    {
        "" or "$" or "request" => "body",
        _ when key.StartsWith("$.", StringComparison.Ordinal) => key[2..],
        _ => key,
    };

    private const string RequestRequired = "The request field is required.";

    // System.Text.Json messages name .NET types and paths; say what is wrong in the API's own words.
    private static string Clean(string message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return "The value is not valid.";
        }

        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "Unknown field.";
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            return "The value has the wrong type or format.";
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
