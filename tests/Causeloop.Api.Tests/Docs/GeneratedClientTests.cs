using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Docs;

/// <summary>
/// A client generated from the running service's /openapi/v1.json (openapi-typescript types, openapi-fetch calls),
/// type-checked strictly against the document by tsc, then run against the service: docs/examples/client/main.ts,
/// the example of docs/clients.md. A document that lies about a field, a path or a status breaks the compile or the run.
/// </summary>
public sealed class GeneratedClientTests : ApiTest
{
    [Test]
    public async Task A_typescript_client_generated_from_the_document_compiles_and_calls_the_main_operations()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        var examples = Path.Combine(ServiceProcess.RepositoryRoot, "docs", "examples");
        var run = Path.Combine(examples, "client", $".run-{Guid.NewGuid():N}");
        Directory.CreateDirectory(run);
        try
        {
            foreach (var file in new[] { "main.ts", "tsconfig.json", "package.json" })
            {
                File.Copy(Path.Combine(examples, "client", file), Path.Combine(run, file));
            }

            var none = new Dictionary<string, string?>();
            var generate = await ServiceProcess.RunProgramAsync("node", none,
                Path.Combine(examples, "node_modules", "openapi-typescript", "bin", "cli.js"), new Uri(Host.BaseAddress, "/openapi/v1.json").ToString(),
                "-o", Path.Combine(run, "causeloop.d.ts"));
            Assert.That(generate.ExitCode, Is.Zero, generate.StandardOutput + generate.StandardError);

            var compile = await ServiceProcess.RunProgramAsync("node", none,
                Path.Combine(examples, "node_modules", "typescript", "bin", "tsc"), "-p", run);
            Assert.That(compile.ExitCode, Is.Zero, "tsc: " + compile.StandardOutput + compile.StandardError);

            var result = await ServiceProcess.RunProgramAsync("node", new Dictionary<string, string?>
            {
                ["CAUSELOOP_URL"] = Host.BaseAddress.ToString().TrimEnd('/'),
                ["CAUSELOOP_API_KEY"] = tenant.ApiKey,
                ["RECEIVER_URL"] = receiver.Url.ToString(),
            }, Path.Combine(run, "out", "main.js"));
            Assert.That(result.ExitCode, Is.Zero, result.StandardOutput + result.StandardError);

            var output = JsonNode.Parse(result.StandardOutput)!;
            Assert.Multiple(() =>
            {
                Assert.That(output["event_types"]!.AsArray().Select(t => t!.GetValue<string>()), Does.Contain("sync.completed"));
                Assert.That(output["connector_kind"]!.GetValue<string>(), Is.EqualTo("custom"));
                Assert.That(output["inbound_url"]!.GetValue<string>(), Does.Contain("/v1/webhooks/inbound/"));
                Assert.That(output["listed"]!.AsArray().Select(t => t!.GetValue<string>()), Does.Contain(output["outbound_id"]!.GetValue<string>()));
                Assert.That(output["description"]!.GetValue<string>(), Is.EqualTo("renamed by the generated client"));
                Assert.That(output["secret_rotated"]!.GetValue<bool>(), Is.True);
                Assert.That(output["missing_status"]!.GetValue<int>(), Is.EqualTo(404));
                Assert.That(output["missing_title"]!.GetValue<string>(), Is.EqualTo("Not found"));
            });

            // The event it published went out to the receiver, signed.
            var delivered = await receiver.WaitForAsync(1);
            Assert.That(delivered[0].Header("x-causeloop-event-id"), Is.EqualTo(output["event_id"]!.GetValue<string>()));
        }
        finally
        {
            Directory.Delete(run, recursive: true);
        }
    }
}
