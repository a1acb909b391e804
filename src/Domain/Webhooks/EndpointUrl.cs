namespace Causeloop.Domain.Webhooks;

/// <summary>The rule for an outbound webhook's URL: absolute http or https, with a host, at most 2048 characters.</summary>
public static class EndpointUrl
{
    public const int MaxLength = 2048;

    /// <summary>Returns null when the URL is acceptable, else the reason.</summary>
    public static string? Validate(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "A URL is required.";
        }

        if (url.Length > MaxLength)
        {
            return $"The URL must be at most {MaxLength} characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "The URL must be an absolute http or https URL.";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "The URL must name a host.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "The URL must not carry credentials.";
        }

        return url.Any(char.IsWhiteSpace) ? "The URL must not contain white space." : null;
    }
}
