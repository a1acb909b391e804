using Causeloop.Api.Hosting;

namespace Causeloop.Api.Auth;

/// <summary>The service's public base URL: <c>Causeloop:PublicBaseUrl</c> when set, else the scheme and host of the current request.</summary>
public static class PublicBaseUrl
{
    public static string Of(CauseloopOptions options, HttpRequest? request)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PublicBaseUrl is { } configured
            ? configured.ToString().TrimEnd('/')
            : request is not null ? $"{request.Scheme}://{request.Host}{request.PathBase}" : "http://localhost";
    }
}
