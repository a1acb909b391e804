using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// A real HTTP CONNECT proxy: Debian's <c>tinyproxy</c> (installed by <c>scripts/test</c>) in the foreground on 127.0.0.1,
/// with a configuration file of its own; its log lines (one per CONNECT request) are kept.
/// </summary>
public sealed class Tinyproxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _lines = new();

    private Tinyproxy(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>The targets of the CONNECT requests it received (<c>host:port</c>), in order.</summary>
    public IReadOnlyList<string> Connects => [.. Lines.Select(l => l.Split("): CONNECT ", 2)).Where(p => p.Length == 2).Select(p => p[1].Split(' ')[0])];

    /// <summary>Starts it on <paramref name="port"/> (a free one when 0) with <paramref name="configuration"/> (a free one when null: <c>{port}</c> is replaced).</summary>
    public static async Task<Tinyproxy> StartAsync(int port = 0, string? configuration = null)
    {
        port = port == 0 ? FreePort.Next() : port;
        var directory = Directory.CreateTempSubdirectory("causeloop-tinyproxy-").FullName;
        var file = Path.Combine(directory, "tinyproxy.conf");
        await File.WriteAllTextAsync(file, (configuration ?? """
            Port {port}
            Listen 127.0.0.1
            Timeout 30
            LogLevel Connect
            MaxClients 200
            """).Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var start = new ProcessStartInfo("tinyproxy") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-d");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(file);
        var proxy = new Tinyproxy(Process.Start(start)!, directory, port);
        proxy._process.OutputDataReceived += (_, e) => proxy.Keep(e.Data);
        proxy._process.ErrorDataReceived += (_, e) => proxy.Keep(e.Data);
        proxy._process.BeginOutputReadLine();
        proxy._process.BeginErrorReadLine();
        await Eventually.HoldsAsync(async () => proxy._process.HasExited || await AcceptsAsync(port), "tinyproxy is listening");
        Assert.That(proxy._process.HasExited, Is.False, string.Join('\n', proxy.Lines));
        return proxy;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
