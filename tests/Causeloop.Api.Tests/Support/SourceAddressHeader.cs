using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// Lets a test say which address a request comes from (<see cref="Name"/>), as a reverse proxy's forwarded-headers
/// middleware would set it, so that IPv6 and IPv4-mapped sources can be tried on a loopback-only machine. Runs before
/// the service's own pipeline; without the header the connection's real address stays.
/// </summary>
public sealed class SourceAddressHeader : IStartupFilter
{
    public const string Name = "x-test-source-address";

    public static void AddTo(IServiceCollection services) => services.AddSingleton<IStartupFilter, SourceAddressHeader>();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[Name].ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
