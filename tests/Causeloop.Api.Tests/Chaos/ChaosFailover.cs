using System.Diagnostics;
using Npgsql;

namespace Causeloop.Api.Tests.Chaos;

/// <summary>
/// A pg_auto_failover formation of the scenario's own (Debian's <c>postgresql-15-auto-failover</c> and
/// <c>pg-auto-failover-cli</c>): a monitor and two durable nodes with synchronous replication, each run by its own
/// <c>pg_autoctl</c> as the <c>postgres</c> user. The service reaches it with a connection string naming both nodes
/// (<see cref="ConnectionString"/>). Detection is tuned down from the defaults (a node is unhealthy after 3 s instead of
/// 20 s) so that a run takes seconds; the new primary is still kept read-only for <see cref="DemoteTimeout"/> after its
/// promotion, as pg_auto_failover does to let the old primary demote itself first.
/// </summary>
public sealed class ChaosFailover : IChaosDatabase
{
    /// <summary>How long the monitor keeps a promoted node read-only (pgautofailover.primary_demote_timeout; 30 s by default).</summary>
    public static readonly TimeSpan DemoteTimeout = TimeSpan.FromSeconds(10);

    private readonly string _folder;
    private readonly Dictionary<string, string> _environment;
    private readonly List<Process> _processes = [];
    private readonly Dictionary<string, (int Port, Process Keeper)> _nodes = [];

    private readonly string _targetSessionAttributes;

    private ChaosFailover(string folder, string bin, string targetSessionAttributes)
    {
        _folder = folder;
        _targetSessionAttributes = targetSessionAttributes;
        MonitorPort = Support.FreePort.Next();
        _environment = new Dictionary<string, string>
        {
            ["XDG_CONFIG_HOME"] = Path.Combine(folder, "config"),
            ["XDG_DATA_HOME"] = Path.Combine(folder, "share"),
            ["PG_CONFIG"] = Path.Combine(bin, "pg_config"),
            ["PATH"] = $"{bin}:/usr/bin:/bin",
        };
    }

    public int MonitorPort { get; }

    /// <summary>
    /// Both nodes, in the order they were created; the service finds the one that takes writes. A host's state is
    /// checked again after 1 s (Npgsql's default is 10 s, which delays the first write after a promotion by up to 10 s).
    /// </summary>
    public string ServiceConnectionString =>
        $"Host={string.Join(',', _nodes.Values.Select(n => $"127.0.0.1:{n.Port}"))};Username=postgres;Database=postgres;Timeout=5;Target Session Attributes={_targetSessionAttributes};Host Recheck Seconds=1";

    /// <summary>For the checks: always the node that takes writes, whatever the services are given.</summary>
    public string ConnectionString =>
        $"Host={string.Join(',', _nodes.Values.Select(n => $"127.0.0.1:{n.Port}"))};Username=postgres;Database=postgres;Timeout=5;Target Session Attributes=read-write;Host Recheck Seconds=1";

    public static async Task<ChaosFailover> StartAsync(string targetSessionAttributes = "read-write")
    {
        var bin = ChaosProcesses.PostgresBin();
        var autoctl = ChaosProcesses.Require("pg_autoctl", "pg-auto-failover-cli");
        var version = Path.GetFileName(Path.GetDirectoryName(bin))!;
        if (!File.Exists($"/usr/share/postgresql/{version}/extension/pgautofailover.control"))
        {
            Assert.Ignore($"This scenario needs pg_auto_failover's extension for PostgreSQL {version} (postgresql-{version}-auto-failover); scripts/test installs it.");
        }

        var formation = new ChaosFailover(ChaosProcesses.NewFolder("failover"), bin, targetSessionAttributes);
        try
        {
            await formation.CreateAsync(autoctl);
            return formation;
        }
        catch
        {
            await formation.DisposeAsync();
            throw;
        }
    }

    private async Task CreateAsync(string autoctl)
    {
        var monitor = Path.Combine(_folder, "monitor");
        await ChaosProcesses.RunAsync(_environment, autoctl, "create", "monitor", "--pgdata", monitor, "--pgport", $"{MonitorPort}",
            "--hostname", "127.0.0.1", "--auth", "trust", "--no-ssl");
        _processes.Add(ChaosProcesses.Start(_environment, Path.Combine(_folder, "monitor.log"), autoctl, "run", "--pgdata", monitor));
        foreach (var setting in (string[])[
            "health_check_period = 1000", "health_check_timeout = 1000", "health_check_max_retries = 1", "health_check_retry_delay = 500",
            "node_considered_unhealthy_timeout = 3000", $"primary_demote_timeout = {DemoteTimeout.TotalMilliseconds}"])
        {
            await MonitorAsync<object>($"alter system set pgautofailover.{setting}", TimeSpan.FromSeconds(30));
        }

        await MonitorAsync<bool>("select pg_reload_conf()", TimeSpan.FromSeconds(5));

        foreach (var (name, expected) in new[] { ("a", "single"), ("b", "secondary") })
        {
            var port = Support.FreePort.Next();
            var data = Path.Combine(_folder, name);
            await ChaosProcesses.RunAsync(_environment, autoctl, "create", "postgres", "--pgdata", data, "--pgport", $"{port}", "--hostname", "127.0.0.1",
                "--name", name, "--auth", "trust", "--no-ssl", "--monitor", $"postgres://autoctl_node@127.0.0.1:{MonitorPort}/pg_auto_failover");
            // The old primary demotes itself when it has seen neither the monitor nor the standby for this long; it must be
            // shorter than the monitor's demote timeout, which keeps the new primary read-only until then.
            await ChaosProcesses.RunAsync(_environment, autoctl, "config", "set", "--pgdata", data, "timeout.network_partition_timeout", "5");
            var keeper = ChaosProcesses.Start(_environment, Path.Combine(_folder, $"{name}.log"), autoctl, "run", "--pgdata", data);
            _processes.Add(keeper);
            _nodes[name] = (port, keeper);
            await StateAsync(name, expected, TimeSpan.FromSeconds(90));
        }

        await StateAsync("a", "primary", TimeSpan.FromSeconds(60));
    }

    /// <summary>The node the monitor holds primary.</summary>
    public Task<string> PrimaryAsync() =>
        MonitorAsync<string>("select nodename from pgautofailover.node where reportedstate = 'primary' and goalstate = 'primary'", TimeSpan.FromSeconds(10));

    /// <summary>SIGKILL to the primary's pg_autoctl, its Postgres and every backend, as when its machine dies. Returns the standby's name.</summary>
    public async Task<string> KillPrimaryAsync()
    {
        var primary = await PrimaryAsync();
        var postmaster = Path.Combine(_folder, primary, "postmaster.pid");
        var pid = File.Exists(postmaster) ? int.Parse(File.ReadLines(postmaster).First(), System.Globalization.CultureInfo.InvariantCulture) : 0;
        ChaosProcesses.KillTree(_nodes[primary].Keeper);
        if (pid > 0)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone with its keeper.
            }
        }

        return _nodes.Keys.Single(n => n != primary);
    }

    /// <summary>Waits until <paramref name="node"/> is out of recovery (promoted), then until it takes writes; the timestamps of both.</summary>
    public async Task<(long Promoted, long Writable)> WaitForPromotionAsync(string node, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long promoted = 0;
        var connection = $"Host=127.0.0.1;Port={_nodes[node].Port};Username=postgres;Database=postgres;Timeout=2;Pooling=false";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await using var probe = new NpgsqlConnection(connection);
                await probe.OpenAsync();
                await using var command = new NpgsqlCommand("select pg_is_in_recovery(), current_setting('default_transaction_read_only') = 'on'", probe);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                var (recovering, readOnly) = (reader.GetBoolean(0), reader.GetBoolean(1));
                if (!recovering && promoted == 0)
                {
                    promoted = Stopwatch.GetTimestamp();
                }

                if (!recovering && !readOnly)
                {
                    return (promoted, Stopwatch.GetTimestamp());
                }
            }
            catch (NpgsqlException)
            {
                // Restarting.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{node} was not promoted within {timeout.TotalSeconds} s; monitor events: {await EventsAsync()}");
    }

    /// <summary>The monitor's event log (for a failing run).</summary>
    public async Task<string> EventsAsync()
    {
        try
        {
            return await MonitorAsync<string>("select string_agg(eventtime::time || ' ' || description, E'\\n' order by eventid) from pgautofailover.event", TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException e)
        {
            return e.Message;
        }
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            ChaosProcesses.KillTree(process);
            process.Dispose();
        }

        foreach (var pidFile in Directory.GetFiles(_folder, "postmaster.pid", SearchOption.AllDirectories))
        {
            try
            {
                using var process = Process.GetProcessById(int.Parse(File.ReadLines(pidFile).First(), System.Globalization.CultureInfo.InvariantCulture));
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                // Gone.
            }
        }

        NpgsqlConnection.ClearAllPools();
        await Task.Delay(200);
        Directory.Delete(_folder, recursive: true);
    }

    private async Task StateAsync(string node, string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var reached = await MonitorAsync<long>(
                $"select count(*) from pgautofailover.node where nodename = '{node}' and reportedstate = '{state}' and goalstate = '{state}'", timeout);
            if (reached == 1)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{node} did not reach {state} within {timeout.TotalSeconds} s; monitor events: {await EventsAsync()}");
            }

            await Task.Delay(200);
        }
    }

    private async Task<T> MonitorAsync<T>(string sql, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={MonitorPort};Username=postgres;Database=pg_auto_failover;Timeout=2;Pooling=false");
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(sql, connection);
                return (T)(await command.ExecuteScalarAsync() ?? default(T))!;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
