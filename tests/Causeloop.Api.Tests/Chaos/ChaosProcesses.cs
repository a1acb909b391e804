using System.Diagnostics;

namespace Causeloop.Api.Tests.Chaos;

/// <summary>
/// Runs the PostgreSQL tools the fault suite drives (pg_autoctl, pgbouncer), as the <c>postgres</c> user when the suite
/// runs as root (they refuse root), each one in a session of its own so that one can be killed without the others.
/// </summary>
public static class ChaosProcesses
{
    /// <summary>The newest installed PostgreSQL server binaries, or the test is ignored (scripts/test installs them).</summary>
    public static string PostgresBin()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            Assert.Ignore("The fault suite needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin); scripts/test installs them.");
        }

        return bin!;
    }

    /// <summary>The full path of <paramref name="program"/> on PATH, or the test is ignored naming the Debian package (scripts/test installs it).</summary>
    public static string Require(string program, string package)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Append("/usr/sbin").Append("/usr/bin")
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
        if (found is null)
        {
            Assert.Ignore($"This scenario needs {program} (Debian package {package}); scripts/test installs it.");
        }

        return found!;
    }

    /// <summary>A folder the postgres user can write to (its data folders, sockets and logs).</summary>
    public static string NewFolder(string prefix)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"causeloop-{prefix}-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
        }

        return folder;
    }

    /// <summary>Runs <paramref name="program"/> to its end; throws with its output when it fails.</summary>
    public static async Task<string> RunAsync(IReadOnlyDictionary<string, string> environment, string program, params string[] args)
    {
        using var process = Process.Start(Info(environment, program, args, setsid: false))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
        }

        return await output;
    }

    /// <summary>Starts <paramref name="program"/> in a session of its own, its output appended to <paramref name="log"/>.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, string log, string program, params string[] args)
    {
        var process = Process.Start(Info(environment, program, args, setsid: true))!;
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGKILL to the process and everything it started, as when a machine dies.</summary>
    public static void KillTree(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    private static ProcessStartInfo Info(IReadOnlyDictionary<string, string> environment, string program, string[] args, bool setsid)
    {
        var asRoot = Environment.UserName == "root";
        var command = new List<string>();
        if (setsid)
        {
            command.Add("setsid");
        }

        if (asRoot)
        {
            command.AddRange(["runuser", "-u", "postgres", "--"]);
        }

        command.Add("env");
        command.AddRange(environment.Select(e => $"{e.Key}={e.Value}"));
        command.Add(program);
        command.AddRange(args);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static void Append(string log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (typeof(ChaosProcesses))
        {
            File.AppendAllText(log, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}{Environment.NewLine}");
        }
    }
}
