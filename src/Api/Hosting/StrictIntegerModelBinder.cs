using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Causeloop.Api.Hosting;

/// <summary>
/// Binds <c>int</c> and <c>int?</c> from the query and route as the OpenAPI document describes them
/// (<c>^-?(?:0|[1-9]\d*)$</c>): decimal digits with an optional sign, nothing else. The framework's default
/// (a TypeConverter) also takes hex such as <c>0x10</c> and stray characters such as a NUL.
/// </summary>
public sealed class StrictIntegerModelBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var value = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (value == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, value);
        var text = value.FirstValue;
        if (string.IsNullOrEmpty(text) && bindingContext.ModelMetadata.IsReferenceOrNullableType)
        {
            bindingContext.Result = ModelBindingResult.Success(null);
            return Task.CompletedTask;
        }

        if (value.Length == 1 && IsCanonical(text) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            bindingContext.Result = ModelBindingResult.Success(number);
        }
        else
        {
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, $"{bindingContext.ModelName} must be a whole number written in decimal digits.");
        }

        return Task.CompletedTask;
    }

    private static bool IsCanonical(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var digits = text[0] == '-' ? text.AsSpan(1) : text.AsSpan();
        return digits.Length is > 0 and <= 10 && !digits.ContainsAnyExceptInRange('0', '9') && (digits.Length == 1 || digits[0] != '0');
    }
}

/// <summary>Uses <see cref="StrictIntegerModelBinder"/> for every <c>int</c> and <c>int?</c> bound from the query or route.</summary>
public sealed class StrictIntegerModelBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = Nullable.GetUnderlyingType(context.Metadata.ModelType) ?? context.Metadata.ModelType;
        return type == typeof(int) && context.BindingInfo.BindingSource is { } source
               && (source == BindingSource.Query || source == BindingSource.Path)
            ? new StrictIntegerModelBinder()
            : null;
    }
}
