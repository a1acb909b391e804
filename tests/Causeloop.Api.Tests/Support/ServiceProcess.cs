using System.Diagnostics;

namespace Causeloop.Api.Tests.Support;

/// <summary>Runs the built service executable (<c>dotnet Causeloop.Api.dll …</c>) as a separate process.</summary>
public static class ServiceProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static string ApiDll
    {
        get
        {
            // tests/Causeloop.Api.Tests/bin/<Configuration>/net10.0/ → src/Api/bin/<Configuration>/net10.0/
            var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = testDir.Parent!.Name;
            return Path.Combine(RepositoryRoot, "src", "Api", "bin", configuration, testDir.Name, "Causeloop.Api.dll");
        }
    }

    /// <summary>The folder holding Causeloop.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Causeloop.sln")))
            {
                root = root.Parent;
            }

            return root?.FullName ?? throw new InvalidOperationException("Causeloop.sln not found above the test directory.");
        }
    }

    public static Task<Result> RunAsync(IDictionary<string, string?> environment, params string[] args) =>
        RunProgramAsync("dotnet", environment, [ApiDll, .. args]);

    /// <summary>Runs any program with a clean Causeloop environment plus <paramref name="environment"/>.</summary>
    public static async Task<Result> RunProgramAsync(string program, IDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Causeloop__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not exit within 60 s.");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
