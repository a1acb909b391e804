using Causeloop.Api.Hosting;
using Causeloop.Domain.Access;
using Causeloop.Infrastructure.Persistence;
using Causeloop.Infrastructure.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Causeloop.Api.Cli;

/// <summary>
/// The service's commands (SPEC §9): <c>migrate</c>, and <c>api-keys create --workspace NAME --scopes a,b</c>,
/// which prints only the new key on standard output. Usage errors exit with 2.
/// </summary>
public static class CommandLine
{
    private const string Usage = """
        usage: Causeloop.Api [command]
          (no command)                                          serve HTTP and run the delivery worker
          migrate                                               apply database migrations and exit
          api-keys create --workspace <name> --scopes <a,b,...> create an API key and print it
        scopes: webhooks:read webhooks:admin connectors:read connectors:admin events:write
        """;

    public static bool IsCommand(string arg) => arg is "migrate" or "api-keys" or "help" or "--help" or "-h";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        switch (args[0])
        {
            case "migrate":
                DatabaseMigrator.Migrate(CauseloopApp.ConnectionString(Configuration(args[1..])), NullLogger.Instance);
                await Console.Error.WriteLineAsync("causeloop: migrations applied");
                return 0;
            case "api-keys" when args.Length > 1 && args[1] == "create":
                return await CreateApiKeyAsync(args[2..]);
            case "help" or "--help" or "-h":
                Console.WriteLine(Usage);
                return 0;
            default:
                return Fail("unknown command.");
        }
    }

    private static async Task<int> CreateApiKeyAsync(string[] args)
    {
        string? workspace = null;
        string? scopes = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--workspace" when i + 1 < args.Length:
                    workspace = args[++i];
                    break;
                case "--scopes" when i + 1 < args.Length:
                    scopes = args[++i];
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(workspace) || workspace.Length > 200)
        {
            return Fail("--workspace <name> is required (at most 200 characters).");
        }

        if (string.IsNullOrWhiteSpace(scopes))
        {
            return Fail("--scopes <a,b,...> is required.");
        }

        var scopeSet = ScopeSet.Parse(scopes.Split(','), out var unknown);
        if (unknown.Count > 0)
        {
            return Fail($"unknown scope(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", Scope.All.Select(s => s.Value))}.");
        }

        if (scopeSet.Scopes.Count == 0)
        {
            return Fail("at least one scope is required.");
        }

        var connectionString = CauseloopApp.ConnectionString(Configuration(rest.ToArray()));
        DatabaseMigrator.Migrate(connectionString, NullLogger.Instance);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var key = await new ApiKeyStore(dataSource, TimeProvider.System).CreateAsync(workspace.Trim(), scopeSet, CancellationToken.None);
        Console.WriteLine(key);
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"causeloop: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }

    /// <summary>The same sources the web host reads: appsettings files, environment variables, command-line overrides.</summary>
    private static IConfiguration Configuration(string[] args)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
    }
}
