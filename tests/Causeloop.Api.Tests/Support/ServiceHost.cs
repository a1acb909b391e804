using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Causeloop.Api.Hosting;
using Causeloop.Domain.Access;
using Causeloop.Infrastructure.Security;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Causeloop.Api.Tests.Support;

/// <summary>The real service on real Kestrel (127.0.0.1, a free port) against a real database.</summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public static readonly string SecretsKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private ServiceHost(WebApplication app, Uri baseAddress, string connectionString, CapturedLogs logs)
    {
        Logs = logs;
        App = app;
        BaseAddress = baseAddress;
        ConnectionString = connectionString;
    }

    public WebApplication App { get; }

    /// <summary>The service's warnings and errors so far.</summary>
    public CapturedLogs Logs { get; }

    public Uri BaseAddress { get; }

    public string ConnectionString { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<ServiceHost> StartAsync(
        string connectionString,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        string environment = "Testing")
    {
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Causeloop"] = connectionString,
            ["Causeloop:Secrets:Key"] = SecretsKey,
            ["Causeloop:Outbound:AllowPrivateNetworks"] = "true",
            ["Causeloop:Delivery:PollInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var logs = new CapturedLogs();
        var app = CauseloopApp.Build(["--urls", "http://127.0.0.1:0", "--environment", environment], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServiceHost(app, new Uri(address), connectionString, logs);
    }

    public HttpClient Client(string? apiKey = null)
    {
        // Every response is checked against the OpenAPI document (OpenApiConformance).
        var client = new HttpClient(new OpenApiConformance()) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>A client (checked like <see cref="Client"/>) whose connections come from <paramref name="from"/>, e.g. 127.0.0.2.</summary>
    public HttpClient ClientFrom(IPAddress from)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(new OpenApiConformance(handler)) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Task<string> CreateKeyAsync(string workspace, params Scope[] scopes) =>
        Services.GetRequiredService<ApiKeyStore>().CreateAsync(workspace, new ScopeSet(scopes), CancellationToken.None);

    /// <summary>A fresh workspace with a key of the given scopes (all of them when none are given).</summary>
    public async Task<Tenant> NewTenantAsync(params Scope[] scopes)
    {
        var name = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var key = await CreateKeyAsync(name, scopes.Length == 0 ? [.. Scope.All] : scopes);
        return new Tenant(name, key, Client(key));
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
