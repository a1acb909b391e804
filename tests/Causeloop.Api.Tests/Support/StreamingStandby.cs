using Causeloop.Api.Tests.Chaos;
using Npgsql;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// A primary and a streaming standby of their own (<c>pg_basebackup -R</c>), for the read replica's tests. Needs the
/// PostgreSQL server binaries (scripts/test installs them); as root the servers run as the <c>postgres</c> user.
/// </summary>
public sealed class StreamingStandby : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _bin;

    private StreamingStandby(string folder, string bin)
    {
        _folder = folder;
        _bin = bin;
    }

    public int PrimaryPort { get; } = FreePort.Next();

    public int StandbyPort { get; } = FreePort.Next();

    public string Primary => $"Host=127.0.0.1;Port={PrimaryPort};Username=postgres;Database=postgres;Timeout=5";

    public string Standby => $"Host=127.0.0.1;Port={StandbyPort};Username=postgres;Database=postgres;Timeout=5";

    private string PrimaryData => Path.Combine(_folder, "primary");

    private string StandbyData => Path.Combine(_folder, "standby");

    public static async Task<StreamingStandby> StartAsync()
    {
        var pair = new StreamingStandby(ChaosProcesses.NewFolder("replica"), ChaosProcesses.PostgresBin());
        await pair.PgAsync("initdb", "-D", pair.PrimaryData, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8");
        await pair.StartServerAsync(pair.PrimaryData, pair.PrimaryPort);
        await pair.PgAsync("pg_basebackup", "-h", "127.0.0.1", "-p", $"{pair.PrimaryPort}", "-U", "postgres", "-D", pair.StandbyData, "-R", "-X", "stream");
        await pair.StartServerAsync(pair.StandbyData, pair.StandbyPort);
        return pair;
    }

    /// <summary>Stops applying the primary's WAL (what a standby far behind looks like); <see cref="ResumeReplayAsync"/> undoes it.</summary>
    public Task PauseReplayAsync() => StandbyAsync<object>("select pg_wal_replay_pause()");

    public Task ResumeReplayAsync() => StandbyAsync<object>("select pg_wal_replay_resume()");

    public Task StopStandbyAsync() => PgAsync("pg_ctl", "-D", StandbyData, "-m", "immediate", "-w", "stop");

    public async Task<T> StandbyAsync<T>(string sql, object? parameter = null)
    {
        await using var connection = new NpgsqlConnection(Standby + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("p", parameter);
        }

        return (T)(await command.ExecuteScalarAsync() ?? default(T))!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var data in new[] { StandbyData, PrimaryData })
        {
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    await PgAsync("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop");
                }
                catch (InvalidOperationException)
                {
                    // Already stopped.
                }
            }
        }

        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<string> StartServerAsync(string data, int port) => PgAsync("pg_ctl", "-D", data, "-l", data + ".log",
        "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {_folder} -c fsync=off -c max_connections=100", "-w", "-t", "60", "start");

    private Task<string> PgAsync(string program, params string[] args) =>
        ChaosProcesses.RunAsync(new Dictionary<string, string>(), Path.Combine(_bin, program), args);
}
