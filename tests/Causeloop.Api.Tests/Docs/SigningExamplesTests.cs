using System.Net;
using System.Text.Json;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Examples;

namespace Causeloop.Api.Tests.Docs;

/// <summary>Runs every signing example of docs/signing.md against the running service.</summary>
public sealed class SigningExamplesTests : ApiTest
{
    [TestCase("python3", "docs/examples/send_signed.py")]
    [TestCase("node", "docs/examples/send_signed.js")]
    [TestCase("bash", "docs/examples/send_signed.sh")]
    public async Task The_script_example_is_accepted_and_its_exact_payload_stored(string program, string script)
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        var payload = $$"""{"from":"{{Path.GetFileName(script)}}","text":"caf\u00e9 ✓","n":[1,2.5,true,null]}""";
        var result = await ServiceProcess.RunProgramAsync(program, new Dictionary<string, string?>
        {
            ["CAUSELOOP_INBOUND_URL"] = endpoint.InboundUrl,
            ["CAUSELOOP_SIGNING_SECRET"] = endpoint.Secret,
            ["CAUSELOOP_EVENT_ID"] = "doc-example-1",
        }, script, payload);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardOutput + result.StandardError);
        Assert.That(result.StandardOutput, Does.Contain("202"));
        var stored = await Host.ScalarAsync<byte[]>("select raw_body from inbound_events where connector_id = @id and event_id = 'doc-example-1'",
            new { id = Guid.Parse(endpoint.ConnectorId) });
        Assert.That(System.Text.Encoding.UTF8.GetString(stored), Is.EqualTo(payload));
    }

    [Test]
    public async Task The_csharp_example_is_accepted()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var http = new HttpClient();
        var response = await SendSigned.SendAsync(http, endpoint.InboundUrl, endpoint.Secret, """{"from":"csharp"}""", "doc-cs-1");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var again = await SendSigned.SendAsync(http, endpoint.InboundUrl, endpoint.Secret, """{"from":"csharp"}""", "doc-cs-1");
        using var body = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        Assert.That(body.RootElement.GetProperty("duplicate").GetBoolean(), Is.True);
    }

    [Test]
    public async Task An_example_with_the_wrong_secret_is_refused()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        var result = await ServiceProcess.RunProgramAsync("python3", new Dictionary<string, string?>
        {
            ["CAUSELOOP_INBOUND_URL"] = endpoint.InboundUrl,
            ["CAUSELOOP_SIGNING_SECRET"] = "whsec_" + Convert.ToBase64String(new byte[32]),
        }, "docs/examples/send_signed.py");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.EqualTo(0));
            Assert.That(result.StandardOutput, Does.Contain("401"));
        });
    }
}
