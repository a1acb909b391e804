using System.Collections.Concurrent;
using System.Diagnostics;

namespace Causeloop.Api.Tests.Support;

/// <summary>A long-running example program (a receiver) started from the repository root.</summary>
public sealed class ExampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ExampleProcess(Process process) => _process = process;

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public static async Task<ExampleProcess> StartAsync(string program, string script, IDictionary<string, string?> environment)
    {
        var example = await LaunchAsync(program, script, environment);
        if (example._process.HasExited)
        {
            Assert.Fail($"{script} exited: {string.Join('\n', example.Lines)}");
        }

        return example;
    }

    /// <summary>
    /// Starts a listening example on a free port (<c>PORT</c>). A port found free can be taken by another test before
    /// the example binds it; then another port is tried. <paramref name="usePort"/> learns each port tried (to point a
    /// webhook at it) before the example starts.
    /// </summary>
    public static async Task<(ExampleProcess Process, int Port)> StartOnFreePortAsync(
        string program, string script, IDictionary<string, string?> environment, Func<int, Task> usePort)
    {
        ArgumentNullException.ThrowIfNull(usePort);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            await usePort(port);
            var example = await LaunchAsync(program, script, new Dictionary<string, string?>(environment)
            {
                ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            if (!example._process.HasExited)
            {
                return (example, port);
            }

            var lines = example.Lines;
            await example.DisposeAsync();
            var taken = lines.Any(l => l.Contains("Address already in use", StringComparison.Ordinal) || l.Contains("EADDRINUSE", StringComparison.Ordinal));
            if (!taken || attempt == 5)
            {
                Assert.Fail($"{script} exited: {string.Join('\n', lines)}");
            }
        }
    }

    private static async Task<ExampleProcess> LaunchAsync(string program, string script, IDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ServiceProcess.RepositoryRoot,
        };
        start.ArgumentList.Add(script);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var example = new ExampleProcess(Process.Start(start)!);
        example._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                example._lines.Enqueue(e.Data);
            }
        };
        example._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                example._lines.Enqueue("stderr: " + e.Data);
            }
        };
        example._process.BeginOutputReadLine();
        example._process.BeginErrorReadLine();
        await Eventually.HoldsAsync(() => Task.FromResult(example._lines.Contains("ready") || example._process.HasExited), $"{script} is ready");
        if (example._process.HasExited)
        {
            // Let the output of a process that died at once be read to the end.
            await example._process.WaitForExitAsync();
        }

        return example;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
