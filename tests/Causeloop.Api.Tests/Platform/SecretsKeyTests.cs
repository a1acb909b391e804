using Causeloop.Api.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Causeloop.Api.Tests.Platform;

public sealed class SecretsKeyTests
{
    [Test]
    public void Development_generates_a_key_once_under_the_data_directory_and_reuses_it()
    {
        var directory = Path.Combine(Path.GetTempPath(), "causeloop-key-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new CauseloopOptions { DataDirectory = directory };
            var first = SecretsKeyLoader.Load(options, new Environment("Development"));
            var second = SecretsKeyLoader.Load(options, new Environment("Development"));
            Assert.Multiple(() =>
            {
                Assert.That(first, Has.Length.EqualTo(32));
                Assert.That(second, Is.EqualTo(first));
                Assert.That(File.Exists(Path.Combine(directory, "secrets.key")), Is.True);
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void Development_keeps_its_generated_key_outside_the_build_output_so_a_clean_does_not_lose_it()
    {
        var directory = SecretsKeyLoader.DefaultDataDirectory();
        Assert.Multiple(() =>
        {
            Assert.That(Path.IsPathRooted(directory), Is.True);
            Assert.That(directory, Does.Not.StartWith(AppContext.BaseDirectory.TrimEnd('/')));
            Assert.That(directory, Does.Not.Contain($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
        });
    }

    [TestCase("Production")]
    [TestCase("Staging")]
    public void Elsewhere_a_missing_key_stops_the_start_with_a_message_that_says_what_to_set(string environment)
    {
        var error = Assert.Throws<StartupException>(() => SecretsKeyLoader.Load(new CauseloopOptions(), new Environment(environment)));
        Assert.That(error!.Message, Does.Contain("Causeloop__Secrets__Key"));
    }

    [TestCase("not base64!")]
    [TestCase("AAAA")]
    public void A_malformed_key_is_refused(string key)
    {
        var options = new CauseloopOptions { Secrets = { Key = key } };
        Assert.Throws<StartupException>(() => SecretsKeyLoader.Load(options, new Environment("Production")));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Causeloop.Api";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
