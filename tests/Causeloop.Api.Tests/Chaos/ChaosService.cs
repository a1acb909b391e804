using System.Diagnostics;
using System.Security.Cryptography;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Chaos;

/// <summary>
/// The built service as its own process (<c>dotnet Causeloop.Api.dll</c>) on a fixed loopback port, so that it can be
/// SIGKILLed and started again at the same address. Its output goes to a log file kept for a failing scenario.
/// </summary>
public sealed class ChaosService : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _environment;
    private readonly string _log;
    private Process? _process;

    public ChaosService(string connectionString, string secretsKey, string log, IDictionary<string, string?> settings)
    {
        Url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        _log = log;
        _environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Causeloop"] = connectionString,
            ["Causeloop__Secrets__Key"] = secretsKey,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Causeloop__Outbound__AllowPrivateNetworks"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Causeloop__Inbound__RateLimitPerSecond"] = "100000",
        };
        foreach (var (key, value) in settings)
        {
            _environment[key] = value;
        }
    }

    public Uri Url { get; }

    public int Starts { get; private set; }

    public static string NewSecretsKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ServiceProcess.RepositoryRoot,
        };
        start.ArgumentList.Add(ServiceProcess.ApiDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Url.ToString().TrimEnd('/'));
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Causeloop__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;

        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited at start ({process.ExitCode}); its log: {Log()}");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The service was not ready within 60 s; its log: {Log()}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a machine dies.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public async Task RestartAsync()
    {
        Kill();
        await StartAsync();
    }

    public bool IsRunning => _process is { HasExited: false };

    public string Log()
    {
        lock (_environment)
        {
            return File.Exists(_log) ? File.ReadAllText(_log) : string.Empty;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_environment)
        {
            File.AppendAllText(_log, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}{Environment.NewLine}");
        }
    }
}
