using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// An https endpoint on real Kestrel (127.0.0.1) with the given server certificate that, when given an authority, requires
/// a client certificate issued by it (mutual TLS). Records the subject of the client certificate of each request.
/// </summary>
public sealed class TlsReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string?> _clients = new();

    private TlsReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>The subject of the certificate each request came with (null: none).</summary>
    public IReadOnlyList<string?> ClientSubjects => _clients.ToArray();

    public static async Task<TlsReceiver> StartAsync(X509Certificate2 serverCertificate, X509Certificate2? clientAuthority)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serverCertificate;
            if (clientAuthority is not null)
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(clientAuthority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(certificate);
                };
            }
        })));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new TlsReceiver(app);
        app.Map("/{**path}", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            receiver._clients.Enqueue(context.Connection.ClientCertificate?.Subject);
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        receiver.Url = new Uri($"https://127.0.0.1:{address.Port}/hooks");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
