using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Platform;

public sealed class CommandLineTests : ApiTest
{
    private Dictionary<string, string?> Environment => new()
    {
        ["ConnectionStrings__Causeloop"] = Host.ConnectionString,
        ["Causeloop__Secrets__Key"] = ServiceHost.SecretsKey,
    };

    [Test]
    public async Task Api_keys_create_prints_only_a_key_that_works_with_exactly_its_scopes()
    {
        var result = await ServiceProcess.RunAsync(Environment, "api-keys", "create", "--workspace", "cli-workspace", "--scopes", "webhooks:read,events:write");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), "standard output holds the key and nothing else");
        Assert.That(lines[0], Does.Match("^cl_[A-Za-z0-9_-]{43}$"));

        using var client = Host.Client(lines[0]);
        await (await client.GetAsync("/v1/webhooks")).OkAsync();
        await (await client.PostJsonAsync("/v1/webhooks", """{"url":"https://example.com/h","event_types":["*"]}""")).ProblemAsync(HttpStatusCode.Forbidden);

        var stored = await Host.ScalarAsync<string>("select encode(key_hash, 'hex') from api_keys where prefix = @prefix", new { prefix = lines[0][..10] });
        Assert.That(stored, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(lines[0])))));
        Assert.That(await Host.ScalarAsync<long>("select count(*) from api_keys a where position(@key in a::text) > 0", new { key = lines[0][10..] }), Is.Zero, "the key itself is not stored");
    }

    [Test]
    public async Task A_second_key_for_the_same_workspace_name_sees_the_same_webhooks()
    {
        var first = await ServiceProcess.RunAsync(Environment, "api-keys", "create", "--workspace", "shared-ws", "--scopes", "webhooks:admin");
        var second = await ServiceProcess.RunAsync(Environment, "api-keys", "create", "--workspace", "shared-ws", "--scopes", "webhooks:read");
        using var admin = Host.Client(first.StandardOutput.Trim());
        using var reader = Host.Client(second.StandardOutput.Trim());
        var id = (await admin.CreateOutboundAsync()).Id();
        await (await reader.GetAsync($"/v1/webhooks/{id}")).OkAsync();
    }

    [TestCase("--workspace", "w", "--scopes", "webhooks:read,webhooks:write")]
    [TestCase("--workspace", "w", "--scopes", "everything")]
    [TestCase("--workspace", "w")]
    [TestCase("--scopes", "webhooks:read")]
    public async Task Bad_arguments_exit_2_with_a_message_and_print_no_key(params string[] args)
    {
        var result = await ServiceProcess.RunAsync(Environment, ["api-keys", "create", .. args]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StandardOutput, Is.Empty);
            Assert.That(result.StandardError, Does.Contain("causeloop:"));
        });
    }

    [Test]
    public async Task Unknown_scopes_are_named_in_the_message()
    {
        var result = await ServiceProcess.RunAsync(Environment, "api-keys", "create", "--workspace", "w", "--scopes", "webhooks:read,webhooks:write");
        Assert.That(result.StandardError, Does.Contain("webhooks:write"));
    }

    [Test]
    public async Task A_key_revoked_by_its_prefix_is_refused_at_once_and_listed_as_revoked()
    {
        var created = await ServiceProcess.RunAsync(Environment, "api-keys", "create", "--workspace", "revoke-ws", "--scopes", "webhooks:read");
        var key = created.StandardOutput.Trim();
        using var client = Host.Client(key);
        await (await client.GetAsync("/v1/webhooks")).OkAsync();
        var listed = await ServiceProcess.RunAsync(Environment, "api-keys", "list", "--workspace", "revoke-ws");

        var revoked = await ServiceProcess.RunAsync(Environment, "api-keys", "revoke", key[..10]);
        var refused = await client.GetAsync("/v1/webhooks");
        var listedAfter = await ServiceProcess.RunAsync(Environment, "api-keys", "list", "--workspace", "revoke-ws");
        var again = await ServiceProcess.RunAsync(Environment, "api-keys", "revoke", key[..10]);
        Assert.Multiple(() =>
        {
            Assert.That(listed.ExitCode, Is.EqualTo(0), listed.StandardError);
            Assert.That(listed.StandardOutput, Does.Contain(key[..10]).And.Contain("active").And.Contain("webhooks:read"));
            Assert.That(listed.StandardOutput, Does.Not.Contain(key[10..]), "the key itself is never shown again");
            Assert.That(revoked.ExitCode, Is.EqualTo(0), revoked.StandardError);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "refused from the next request on");
            Assert.That(listedAfter.StandardOutput, Does.Contain("revoked"));
            Assert.That(again.ExitCode, Is.EqualTo(1), "nothing active left with that prefix");
            Assert.That(again.StandardError, Does.Contain("no active API key"));
        });
    }

    [TestCase("api-keys", "revoke")]
    [TestCase("api-keys", "frobnicate")]
    [TestCase("api-keys")]
    public async Task Usage_errors_of_the_key_commands_exit_2_with_a_message(params string[] args)
    {
        var result = await ServiceProcess.RunAsync(Environment, args);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.StandardError);
            Assert.That(result.StandardError, Does.StartWith("causeloop: "));
            Assert.That(result.StandardOutput, Is.Empty);
        });
    }

    [Test]
    public async Task Help_lists_every_command()
    {
        var result = await ServiceProcess.RunAsync(Environment, "api-keys", "--help");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0));
            Assert.That(result.StandardOutput, Does.Contain("create").And.Contain("list").And.Contain("revoke"));
        });
    }

    [Test]
    public async Task Migrate_applies_migrations_and_exits_0()
    {
        var result = await ServiceProcess.RunAsync(Environment, "migrate");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
    }

    [TestCase("Causeloop__Delivery__MaxConcurrency", "0")]
    [TestCase("Causeloop__Database__Pooling", "statement")]
    [TestCase("Causeloop__Webhooks__SecretOverlap", "-01:00:00")]
    [TestCase("Causeloop__Delivery__RetryJitter", "1.5")]
    [TestCase("Causeloop__Delivery__LeaseMargin", "00:00:00")]
    [TestCase("Causeloop__Delivery__MaxPerEndpointConcurrency", "2")]
    [TestCase("Causeloop__Inbound__EndpointCacheTtl", "00:00:05")]
    [TestCase("Causeloop__GroupCommit__MaxBatch", "0")]
    [TestCase("Causeloop__Inbound__RejectedPerSecond", "0")]
    [TestCase("Causeloop__Retention__Interval", "00:00:00")]
    [TestCase("Causeloop__Retention__Period", "-1.00:00:00")]
    [TestCase("Causeloop__Inbound__RejectedPerAddressPerSecond", "0")]
    [TestCase("Causeloop__Inbound__MaxConcurrentBodyReadsPerAddress", "0")]
    [TestCase("Causeloop__Inbound__MinBodyDataRate", "-1")]
    [TestCase("Causeloop__Inbound__MinBodyDataRateGracePeriod", "00:00:00.500")]
    [TestCase("Causeloop__Outbound__Proxy", "https://127.0.0.1:3128")]
    [TestCase("Causeloop__Outbound__Proxy", "http://127.0.0.1")]
    [TestCase("Causeloop__Outbound__Proxy", "http://user:pw@127.0.0.1:3128")]
    [TestCase("Causeloop__Outbound__Proxy", "socks5://127.0.0.1:1080")]
    [TestCase("Causeloop__Outbound__ExtraRootCertificates", "/nonexistent/roots.pem")]
    public async Task Settings_that_cannot_work_stop_the_start_with_a_message(string name, string value)
    {
        var environment = Environment;
        environment[name] = value;
        environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        var result = await ServiceProcess.RunAsync(environment);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.StandardError, Does.Contain("Invalid configuration"));
        });
    }

    [Test]
    public async Task Outside_development_the_service_refuses_to_start_without_a_secrets_key()
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Causeloop"] = Host.ConnectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        };
        var result = await ServiceProcess.RunAsync(environment);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.StandardError, Does.Contain("Causeloop__Secrets__Key"));
        });
    }
}
