using Causeloop.Infrastructure.Persistence;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// The PostgreSQL server the tests use: <c>CAUSELOOP_TEST_DATABASE</c> when set (scripts/test starts a
/// throwaway cluster for it), else a Testcontainers container. Each fixture gets its own database,
/// cloned from a template migrated once per run.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "CAUSELOOP_TEST_DATABASE";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _admin;
    private static string? _template;
    private static PostgreSqlContainer? _container;

    public static async Task<string> CreateDatabaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _admin ??= await ServerAsync();
            _template ??= await CreateTemplateAsync(_admin);
            var name = "causeloop_test_" + Guid.NewGuid().ToString("N")[..16];
            await using var connection = new NpgsqlConnection(_admin);
            await connection.ExecuteAsync($"create database {name} template {_template}");
            return new NpgsqlConnectionStringBuilder(_admin) { Database = name, MaxPoolSize = 50 }.ConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A database with no schema at all.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _admin ??= await ServerAsync();
            var name = "causeloop_empty_" + Guid.NewGuid().ToString("N")[..16];
            await using var connection = new NpgsqlConnection(_admin);
            await connection.ExecuteAsync($"create database {name}");
            return new NpgsqlConnectionStringBuilder(_admin) { Database = name }.ConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.ExecuteAsync($"drop database if exists {name} with (force)");
    }

    public static async Task StopAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private static async Task<string> ServerAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        try
        {
            _container = new PostgreSqlBuilder("postgres:16-alpine").Build();
            await _container.StartAsync();
            return _container.GetConnectionString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL for the tests: set {EnvironmentVariable} to a connection string of a server where databases can be "
                + "created (scripts/test does this with a throwaway local cluster), or run where Docker is available for "
                + $"Testcontainers. Testcontainers said: {e.Message}", e);
        }
    }

    private static async Task<string> CreateTemplateAsync(string admin)
    {
        var name = "causeloop_template_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.ExecuteAsync($"create database {name}");
        }

        var templateConnection = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
        DatabaseMigrator.Migrate(templateConnection, NullLogger.Instance);
        return name;
    }
}
