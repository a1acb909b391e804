using System.CommandLine;
using System.Globalization;
using Causeloop.Api.Hosting;
using Causeloop.Domain.Access;
using Causeloop.Infrastructure.Persistence;
using Causeloop.Infrastructure.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Causeloop.Api.Cli;

/// <summary>
/// The service's commands (SPEC §9), parsed by System.CommandLine: <c>migrate</c>; <c>api-keys create --workspace NAME
/// --scopes a,b</c>, which prints only the new key on standard output; <c>api-keys list [--workspace NAME]</c>;
/// <c>api-keys revoke PREFIX</c>. Usage errors exit with 2. Tokens no command knows (such as
/// <c>--ConnectionStrings:Causeloop=…</c>) are configuration, as for the web host.
/// </summary>
public static class CommandLine
{
    private const int UsageError = 2;

    public static bool IsCommand(string arg) => arg is "migrate" or "api-keys" or "help" or "--help" or "-h";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Build();
        var parsed = root.Parse(args is ["help", .. var rest] ? ["--help", .. rest] : args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"causeloop: {error.Message}");
            }

            await Console.Error.WriteLineAsync("causeloop: see --help for usage.");
            return UsageError;
        }

        // Exceptions go to Program, which turns a StartupException into one plain line and exit code 1.
        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    private static RootCommand Build()
    {
        var root = new RootCommand("Causeloop webhooks. With no command: serve HTTP and run the delivery worker.");

        var migrate = new Command("migrate", "Apply database migrations and exit.") { TreatUnmatchedTokensAsErrors = false };
        migrate.SetAction(parse =>
        {
            DatabaseMigrator.Migrate(CauseloopApp.ConnectionString(Configuration(parse)), NullLogger.Instance);
            Console.Error.WriteLine("causeloop: migrations applied");
            return 0;
        });

        var workspace = new Option<string>("--workspace") { Description = "The workspace's name (created if needed).", Required = true };
        var scopes = new Option<string>("--scopes")
        {
            Description = "Comma-separated scopes: " + string.Join(", ", Scope.All.Select(s => s.Value)) + ". X:admin implies X:read.",
            Required = true,
        };
        var create = new Command("create", "Create an API key and print it (only the key, on standard output).") { TreatUnmatchedTokensAsErrors = false };
        create.Options.Add(workspace);
        create.Options.Add(scopes);
        create.SetAction((parse, cancellationToken) => CreateAsync(parse, parse.GetValue(workspace)!, parse.GetValue(scopes)!, cancellationToken));

        var ofWorkspace = new Option<string?>("--workspace") { Description = "Only this workspace's keys." };
        var list = new Command("list", "List API keys: visible prefix, workspace, scopes, created, revoked.") { TreatUnmatchedTokensAsErrors = false };
        list.Options.Add(ofWorkspace);
        list.SetAction((parse, cancellationToken) => ListAsync(parse, parse.GetValue(ofWorkspace), cancellationToken));

        var prefix = new Argument<string>("prefix") { Description = "The key's visible prefix, as `api-keys list` shows it (cl_ and 7 more characters)." };
        var revoke = new Command("revoke", "Revoke the API key with this prefix; the API refuses it from the next request on.") { TreatUnmatchedTokensAsErrors = false };
        revoke.Arguments.Add(prefix);
        revoke.SetAction((parse, cancellationToken) => RevokeAsync(parse, parse.GetValue(prefix)!, cancellationToken));

        var keys = new Command("api-keys", "Manage API keys.") { create, list, revoke };
        root.Subcommands.Add(migrate);
        root.Subcommands.Add(keys);
        return root;
    }

    private static async Task<int> CreateAsync(ParseResult parse, string workspace, string scopes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(workspace) || workspace.Length > 200)
        {
            return Fail("--workspace <name> is required (at most 200 characters).");
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

        await using var store = OpenStore(parse);
        var key = await store.Keys.CreateAsync(workspace.Trim(), scopeSet, cancellationToken);
        Console.WriteLine(key);
        return 0;
    }

    private static async Task<int> ListAsync(ParseResult parse, string? workspace, CancellationToken cancellationToken)
    {
        await using var store = OpenStore(parse);
        var keys = await store.Keys.ListAsync(workspace, cancellationToken);
        Console.WriteLine($"{"PREFIX",-12} {"WORKSPACE",-24} {"CREATED",-20} {"STATUS",-28} SCOPES");
        foreach (var key in keys)
        {
            var status = key.RevokedAt is { } revoked ? "revoked " + Timestamp(revoked) : "active";
            Console.WriteLine($"{key.Prefix,-12} {key.Workspace,-24} {Timestamp(key.CreatedAt),-20} {status,-28} {string.Join(",", key.Scopes)}");
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(ParseResult parse, string prefix, CancellationToken cancellationToken)
    {
        await using var store = OpenStore(parse);
        switch (await store.Keys.RevokeByPrefixAsync(prefix.Trim(), cancellationToken))
        {
            case 1:
                Console.Error.WriteLine($"causeloop: revoked {prefix.Trim()}; the API refuses it from now on");
                return 0;
            case 0:
                Console.Error.WriteLine($"causeloop: no active API key has the prefix {prefix.Trim()} (see api-keys list).");
                return 1;
            default:
                Console.Error.WriteLine($"causeloop: several active keys have the prefix {prefix.Trim()}; nothing was revoked.");
                return 1;
        }
    }

    private static string Timestamp(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"causeloop: {message}");
        return UsageError;
    }

    /// <summary>The key store on a migrated database (the commands work on a fresh one).</summary>
    private static KeyStoreLease OpenStore(ParseResult parse)
    {
        var connectionString = CauseloopApp.ConnectionString(Configuration(parse));
        DatabaseMigrator.Migrate(connectionString, NullLogger.Instance);
        DapperSetup.Configure();
        var dataSource = DataSourceFactory.Builder(connectionString).Build();
        return new KeyStoreLease(dataSource, new ApiKeyStore(dataSource, TimeProvider.System));
    }

    private sealed record KeyStoreLease(NpgsqlDataSource DataSource, ApiKeyStore Keys) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => DataSource.DisposeAsync();
    }

    /// <summary>The same sources the web host reads: appsettings files, environment variables, command-line overrides.</summary>
    private static IConfiguration Configuration(ParseResult parse)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(parse.UnmatchedTokens.ToArray())
            .Build();
    }
}
