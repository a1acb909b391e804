using System.Diagnostics;
using Npgsql;

namespace Causeloop.Api.Tests.Chaos;

/// <summary>
/// Debian's PgBouncer in transaction pooling mode in front of a durable cluster of the scenario's own: consecutive
/// transactions of one client connection run on whichever server connection is free. Needs <c>pgbouncer</c>
/// (scripts/test installs it); as root it runs as the <c>postgres</c> user.
/// </summary>
public sealed class ChaosPgBouncer : IChaosDatabase
{
    private readonly string _folder;
    private Process? _process;

    private ChaosPgBouncer(ChaosPostgres postgres, string folder, int port)
    {
        Postgres = postgres;
        _folder = folder;
        Port = port;
    }

    /// <summary>The cluster behind the pooler.</summary>
    public ChaosPostgres Postgres { get; }

    public int Port { get; }

    /// <summary>The cluster itself, for a direct instance, the migrations and the checks.</summary>
    public string ConnectionString => Postgres.ConnectionString;

    /// <summary>Through the pooler.</summary>
    public string PooledConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";

    public string Log => Path.Combine(_folder, "pgbouncer.log");

    public static async Task<ChaosPgBouncer> StartAsync(int poolSize = 20)
    {
        var pgbouncer = ChaosProcesses.Require("pgbouncer", "pgbouncer");
        var postgres = await ChaosPostgres.StartAsync(maxConnections: 100);
        var folder = ChaosProcesses.NewFolder("pgbouncer");
        var bouncer = new ChaosPgBouncer(postgres, folder, Support.FreePort.Next());
        await File.WriteAllTextAsync(Path.Combine(folder, "users.txt"), "\"postgres\" \"\"\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "pgbouncer.ini"), $"""
            [databases]
            postgres = host=127.0.0.1 port={postgres.Port} dbname=postgres
            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {bouncer.Port}
            unix_socket_dir =
            auth_type = trust
            auth_file = {folder}/users.txt
            pool_mode = transaction
            default_pool_size = {poolSize}
            max_client_conn = 1000
            query_wait_timeout = 10
            pidfile = {folder}/pgbouncer.pid
            admin_users = postgres
            stats_users = postgres
            """);
        bouncer._process = ChaosProcesses.Start(new Dictionary<string, string>(), bouncer.Log, pgbouncer, Path.Combine(folder, "pgbouncer.ini"));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await using var probe = new NpgsqlConnection(bouncer.PooledConnectionString + ";Pooling=false");
                await probe.OpenAsync();
                return bouncer;
            }
            catch (Exception e) when (e is NpgsqlException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public Task<T> ScalarAsync<T>(string sql) => Postgres.ScalarAsync<T>(sql);

    /// <summary>Transactions PgBouncer has passed to the server so far (<c>SHOW STATS</c> on its admin console, which speaks only the simple protocol: psql, not Npgsql).</summary>
    public async Task<long> TransactionsAsync()
    {
        var psql = Path.Combine(ChaosProcesses.PostgresBin(), "psql");
        var stats = await ChaosProcesses.RunAsync(new Dictionary<string, string>(), psql, "-h", "127.0.0.1", "-p", $"{Port}", "-U", "postgres", "-d", "pgbouncer", "-AF,", "-c", "show stats");
        var lines = stats.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var database = Array.IndexOf(header, "database");
        var transactions = Array.IndexOf(header, "total_xact_count");
        return lines.Skip(1).Select(l => l.Split(',')).Where(f => f.Length == header.Length && f[database] == "postgres")
            .Sum(f => long.Parse(f[transactions], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            ChaosProcesses.KillTree(_process);
            _process.Dispose();
        }

        await Postgres.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
