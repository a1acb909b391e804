using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Causeloop.Api.Hosting;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, believed only from the proxies and networks named in
/// <c>Causeloop:ForwardedHeaders</c>. ASP.NET Core's own defaults trust loopback, and an empty list would trust every
/// sender, so with nothing configured the middleware is not used at all.
/// </summary>
public static class TrustedProxies
{
    /// <summary>Configures the forwarded-headers middleware; false when no proxy is configured (then it must not run).</summary>
    public static bool Configure(IServiceCollection services, CauseloopOptions.ForwardedHeadersSection settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        var proxies = new List<IPAddress>();
        foreach (var text in settings.KnownProxies)
        {
            if (IPAddress.TryParse(text?.Trim(), out var address))
            {
                proxies.Add(address);
            }
            else
            {
                problems.Add($"Causeloop:ForwardedHeaders:KnownProxies holds '{text}', which is not an IP address");
            }
        }

        var networks = new List<System.Net.IPNetwork>();
        foreach (var text in settings.KnownNetworks)
        {
            if (System.Net.IPNetwork.TryParse(text?.Trim(), out var network))
            {
                networks.Add(network);
            }
            else
            {
                problems.Add($"Causeloop:ForwardedHeaders:KnownNetworks holds '{text}', which is not a network in CIDR notation (e.g. 10.0.0.0/8)");
            }
        }

        if (problems.Count > 0)
        {
            throw new StartupException("Invalid configuration: " + string.Join("; ", problems) + ".");
        }

        if (proxies.Count == 0 && networks.Count == 0)
        {
            return false;
        }

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return true;
    }
}
