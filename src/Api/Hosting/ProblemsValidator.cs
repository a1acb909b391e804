using Microsoft.Extensions.Options;

namespace Causeloop.Api.Hosting;

/// <summary>Validates an options section with the rules its class states (its <c>Problems()</c>); the service refuses to start on any.</summary>
public sealed class ProblemsValidator<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var found = problems(options).ToList();
        return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
    }
}
