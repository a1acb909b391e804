using System.Diagnostics;
using Npgsql;

namespace Causeloop.Api.Tests.Chaos;

/// <summary>
/// A throwaway PostgreSQL cluster of the suite's own, durable (fsync and synchronous commit on, as a user runs it),
/// which a scenario can restart. Needs the PostgreSQL server binaries (scripts/test installs them); as root, the
/// server runs as the <c>postgres</c> user.
/// </summary>
public sealed class ChaosPostgres : IChaosDatabase
{
    private readonly string _folder;
    private readonly string _bin;
    private readonly string _options;

    private ChaosPostgres(string folder, string bin, int port, int maxConnections)
    {
        _folder = folder;
        _bin = bin;
        Port = port;
        _options = $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections={maxConnections}";
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";

    private string Data => Path.Combine(_folder, "data");

    public static async Task<ChaosPostgres> StartAsync(int maxConnections = 100)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            Assert.Ignore("The fault suite needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin); scripts/test installs them.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "causeloop-chaos-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0x1FF); // 0777: the postgres user writes its data folder and socket here
        }
        var cluster = new ChaosPostgres(folder, bin!, Support.FreePort.Next(), maxConnections);
        await cluster.RunAsync("initdb", "-D", cluster.Data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8");
        await cluster.StartAsync();
        return cluster;
    }

    public Task StartAsync() => RunAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_folder, "server.log"), "-o", _options, "-w", "-t", "60", "start");

    public Task StopAsync(string mode = "fast") => RunAsync("pg_ctl", "-D", Data, "-m", mode, "-w", "-t", "60", "stop");

    /// <summary>Runs SQL as the superuser on a connection of its own (not pooled, so it never takes the service's slots).</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync("immediate");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task RunAsync(string program, params string[] args)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : Path.Combine(_bin, program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asRoot)
        {
            foreach (var arg in (string[])["-u", "postgres", "--", Path.Combine(_bin, program)])
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
