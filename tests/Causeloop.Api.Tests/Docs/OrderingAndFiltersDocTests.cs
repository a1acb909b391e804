using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Docs;

/// <summary>
/// Every filter example of docs/ordering-and-filters.md, run through the service as a user would: each "match" and
/// "no-match" filter set on a webhook and tried with the documented envelope's event, each "invalid" one refused.
/// </summary>
public sealed partial class OrderingAndFiltersDocTests : ApiTest
{
    private static string Doc() => File.ReadAllText(Path.Combine(ServiceProcess.RepositoryRoot, "docs", "ordering-and-filters.md"));

    public static IEnumerable<TestCaseData> Examples() =>
        Block().Matches(Doc()).Where(m => m.Groups["kind"].Value.StartsWith("filter=", StringComparison.Ordinal))
            .Select(m => new TestCaseData(m.Groups["kind"].Value["filter=".Length..], m.Groups["json"].Value.Trim())
                .SetArgDisplayNames(m.Groups["kind"].Value, m.Groups["json"].Value.Trim()));

    [Test]
    public void The_document_shows_matching_non_matching_and_invalid_filters() =>
        Assert.That(Examples().Select(e => (string)e.Arguments[0]!).Distinct(), Is.EquivalentTo(new[] { "match", "no-match", "invalid" }));

    [TestCaseSource(nameof(Examples))]
    public async Task The_documented_filter_does_what_the_document_says(string expected, string filter)
    {
        var tenant = await Host.NewTenantAsync();
        var create = await tenant.Http.PostJsonAsync("/v1/webhooks",
            $$"""{"url":"https://example.com/hooks","event_types":["*"],"filter":{{filter}}}""");
        if (expected == "invalid")
        {
            var problem = await create.ProblemAsync(HttpStatusCode.BadRequest);
            var message = problem["errors"]!["filter"]![0]!.GetValue<string>();
            Assert.That(Doc(), Does.Contain($"→ `{message}`"), "the document quotes the service's message");
            return;
        }

        var webhook = await create.OkAsync(HttpStatusCode.Created);
        var envelope = JsonNode.Parse(Block().Matches(Doc()).Single(m => m.Groups["kind"].Value == "envelope").Groups["json"].Value)!;
        var tried = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhook.Id()}/filter/test",
            new JsonObject { ["type"] = envelope["type"]!.DeepClone(), ["data"] = envelope["data"]!.DeepClone() }.ToJsonString())).OkAsync();
        Assert.That(tried["matches"]!.GetValue<bool>(), Is.EqualTo(expected == "match"));
    }

    [Test]
    public async Task The_documented_commands_publish_a_keyed_event_and_try_a_filter()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = await (await tenant.Http.PostJsonAsync("/v1/webhooks",
            """{"url":"https://example.com/hooks","event_types":["*"],"filter":{"data.order.currency":"EUR"}}""")).OkAsync(HttpStatusCode.Created);
        var commands = Regex.Matches(Doc(), "```bash\n(?<sh>.*?)```", RegexOptions.Singleline).Select(m => m.Groups["sh"].Value).ToArray();
        Assert.That(commands, Has.Length.EqualTo(2));
        var environment = new Dictionary<string, string?>
        {
            ["CAUSELOOP_URL"] = Host.BaseAddress.ToString().TrimEnd('/'),
            ["CAUSELOOP_API_KEY"] = tenant.ApiKey,
            ["WEBHOOK_ID"] = webhook.Id(),
        };

        var published = await ServiceProcess.RunProgramAsync("bash", environment, "-c", commands[0]);
        Assert.That(published.ExitCode, Is.Zero, published.StandardError);
        var eventId = JsonNode.Parse(published.StandardOutput)!["id"]!.GetValue<string>();
        var stored = await Host.ScalarAsync<string>("select ordering_key from events where id = @id", new { id = Guid.Parse(eventId) });
        Assert.That(stored, Is.EqualTo("order-A-1042"));

        var tried = await ServiceProcess.RunProgramAsync("bash", environment, "-c", commands[1]);
        var expected = commands[1].Split('\n').Single(l => l.StartsWith("# ", StringComparison.Ordinal))[2..];
        Assert.That(tried.StandardOutput.Trim(), Is.EqualTo(expected), tried.StandardError);
    }

    [GeneratedRegex("```json (?<kind>[a-z=-]+)\\n(?<json>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();
}
