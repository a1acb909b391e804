using Causeloop.Api.Cli;
using Causeloop.Api.Hosting;

try
{
    if (args.Length > 0 && CommandLine.IsCommand(args[0]))
    {
        return await CommandLine.RunAsync(args);
    }

    var app = CauseloopApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (StartupException e)
{
    await Console.Error.WriteLineAsync($"causeloop: {e.Message}");
    return 1;
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    // Settings that cannot work (each options section's rules, checked when the host starts).
    await Console.Error.WriteLineAsync($"causeloop: Invalid configuration: {string.Join("; ", e.Failures)}.");
    return 1;
}

/// <summary>The entry point (top-level statements); declared so tests can reference this assembly.</summary>
public partial class Program;
