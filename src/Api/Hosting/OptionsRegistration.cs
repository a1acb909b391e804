using Microsoft.Extensions.Options;

namespace Causeloop.Api.Hosting;

/// <summary>The options pattern, one registration per section: bound from configuration and validated when the host starts.</summary>
public static class OptionsRegistration
{
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, string section, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ProblemsValidator<T>(problems));
        return services;
    }
}
