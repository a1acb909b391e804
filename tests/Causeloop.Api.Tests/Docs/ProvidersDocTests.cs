using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Docs;

/// <summary>Every command of docs/providers.md, run as written (with its example body) against the service: 202.</summary>
public sealed partial class ProvidersDocTests : ApiTest
{
    private static readonly string[] ProviderGenerated = ["stripe", "shopify", "slack", "pagerduty", "linear", "standard_webhooks"];

    public static IEnumerable<TestCaseData> Commands()
    {
        var doc = File.ReadAllText(Path.Combine(ServiceProcess.RepositoryRoot, "docs", "providers.md"));
        foreach (Match example in Example().Matches(doc))
        {
            foreach (var line in example.Groups["sh"].Value.Split('\n').Where(l => l.StartsWith("node ", StringComparison.Ordinal)))
            {
                var script = line.Split(' ')[2];
                yield return new TestCaseData(script, example.Groups["json"].Value, line.Split("   #")[0].Trim()).SetArgDisplayNames(script);
            }
        }
    }

    [Test]
    public void The_document_has_an_example_for_every_kind() =>
        Assert.That(Commands().Select(c => KindOf((string)c.Arguments[0]!)).Distinct(),
            Is.EquivalentTo(Causeloop.Domain.Inbound.ConnectorKind.All));

    [TestCaseSource(nameof(Commands))]
    public async Task The_documented_command_is_accepted(string script, string body, string command)
    {
        var kind = KindOf(script);
        var tenant = await Host.NewTenantAsync();
        var imported = ProviderGenerated.Contains(kind)
            ? (kind == "standard_webhooks" ? "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : "provider_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))
            : null;
        var (_, webhook) = await tenant.Http.CreateInboundConnectorAsync(kind, imported);

        var file = Path.GetTempFileName();
        try
        {
            // Linear's example carries a fixed webhookTimestamp; a real body carries the time it was sent.
            await File.WriteAllTextAsync(file, body.Replace("1700000000000", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            var result = await ServiceProcess.RunProgramAsync("bash", new Dictionary<string, string?>
            {
                ["SECRET"] = webhook.SigningSecret(),
                ["INBOUND_URL"] = webhook["inbound_url"]!.GetValue<string>().Replace("http://localhost", Host.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal),
            }, "-c", command.Replace("event.json", file, StringComparison.Ordinal));
            Assert.That(result.StandardOutput, Does.StartWith("202 "), command + Environment.NewLine + result.StandardError);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string KindOf(string script) => script switch
    {
        "svix" => "standard_webhooks",
        "gitlab_signed" => "gitlab",
        _ => script,
    };

    [GeneratedRegex("```json\\n(?<json>.*?)\\n```\\n```sh\\n(?<sh>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Example();
}
