using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Platform;

/// <summary>
/// The API reference as a customer sees it (<c>/scalar</c> over <c>/openapi/v1.json</c>): tags that read as words, servers
/// that name the public base URL instead of the address that served the document, and Causeloop's reference rather than
/// Scalar's own toolbar, AI chat and MCP offers.
/// </summary>
public sealed partial class ApiReferenceTests : ApiTest
{
    private const string PublicBase = "https://hooks.example.com";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Causeloop:PublicBaseUrl"] = PublicBase + "/" };

    [Test]
    public async Task Every_tag_reads_as_words()
    {
        var document = await DocumentAsync();
        var tags = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => m.Value!["tags"]?.AsArray() ?? []))
            .SelectMany(t => t.Select(n => n!.GetValue<string>()))
            .Distinct()
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(tags, Does.Contain("Event types").And.Contain("Portal sessions").And.Contain("Webhooks"));
            foreach (var tag in tags)
            {
                Assert.That(Words().IsMatch(tag), Is.True, $"the tag {tag} reads as words");
            }
        });
    }

    [Test]
    public async Task The_servers_name_the_public_base_url_not_the_address_that_served_the_document()
    {
        var document = await DocumentAsync();
        var servers = document["servers"]!.AsArray().Select(s => s!["url"]!.GetValue<string>()).ToList();
        Assert.That(servers, Is.EqualTo(new[] { PublicBase }));
    }

    [Test]
    public async Task The_reference_page_hides_scalars_developer_tools_ai_chat_and_mcp()
    {
        using var client = Host.Client();
        var page = await client.GetStringAsync("/scalar");
        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("Causeloop webhooks API"));
            Assert.That(page, Does.Match("\"showDeveloperTools\"\\s*:\\s*\"never\""));
            Assert.That(page, Does.Match("\"agent\"\\s*:\\s*\\{[^}]*\"disabled\"\\s*:\\s*true"));
            Assert.That(page, Does.Match("\"mcp\"\\s*:\\s*\\{[^}]*\"disabled\"\\s*:\\s*true"));
        });
    }

    private async Task<JsonObject> DocumentAsync()
    {
        using var client = Host.Client();
        return JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
    }

    [GeneratedRegex("^[A-Z][a-z]+( [a-z]+)*$")]
    private static partial Regex Words();
}
