using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// The provider's side of an inbound request, for every connector kind: secrets as the provider generates them, bodies
/// like the provider's, and headers signed by the provider's own library where one exists on npm
/// (docs/examples/providers/sign.mjs).
/// </summary>
public static class ProviderSource
{
    /// <summary>A way to sign: the connector kind, the signing script, and what the service makes of it.</summary>
    public sealed record Scheme(string Kind, string Script, string? EventType, bool Timestamped, bool Imported)
    {
        public override string ToString() => Script;
    }

    public static readonly Scheme[] Schemes =
    [
        new("custom", "custom", null, false, false),
        new("standard_webhooks", "standard_webhooks", "invoice.paid", true, true),
        new("standard_webhooks", "svix", "invoice.paid", true, true),
        new("github", "github", "issues", false, false),
        new("stripe", "stripe", "invoice.paid", true, true),
        new("shopify", "shopify", "orders/create", false, true),
        new("slack", "slack", "app_mention", true, true),
        new("gitlab", "gitlab", "Push Hook", false, false),
        new("gitlab", "gitlab_signed", "Push Hook", true, true),
        new("pagerduty", "pagerduty", "incident.triggered", false, true),
        new("linear", "linear", "Issue", true, true),
        new("jira", "jira", "jira:issue_created", false, false),
    ];

    /// <summary>A secret as the provider would generate it.</summary>
    public static string Secret(string kind) => kind switch
    {
        "standard_webhooks" or "gitlab" => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        "stripe" => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        "shopify" => "shpss_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        "linear" => "lin_wh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)),
        _ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
    };

    /// <summary>A fresh body of the kind; Linear's carries <paramref name="at"/> (now when null) as its timestamp.</summary>
    public static string Body(string kind, DateTimeOffset? at = null)
    {
        var n = Guid.NewGuid().ToString("N")[..12];
        return kind switch
        {
            "standard_webhooks" => $$$"""{"type":"invoice.paid","data":{"n":"{{{n}}}"}}""",
            "stripe" => $$"""{"id":"evt_{{n}}","object":"event","type":"invoice.paid"}""",
            "slack" => $$$"""{"type":"event_callback","event_id":"Ev{{{n}}}","event":{"type":"app_mention","text":"hi"}}""",
            "pagerduty" => $$$"""{"event":{"id":"{{{n}}}","event_type":"incident.triggered"}}""",
            "linear" => $$"""{"action":"create","type":"Issue","data":{"id":"{{n}}"},"webhookTimestamp":{{(at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds()}}}""",
            "jira" => $$$"""{"webhookEvent":"jira:issue_created","issue":{"key":"OPS-{{{n}}}"}}""",
            _ => $$"""{"action":"opened","n":"{{n}}"}""",
        };
    }

    /// <summary>The headers <paramref name="script"/> signs <paramref name="body"/> with (at <paramref name="timestamp"/>, now when null).</summary>
    public static async Task<Dictionary<string, string>> SignAsync(string script, string secret, string body, long? timestamp = null, string? id = null)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, body);
            List<string> args = [Path.Combine(ServiceProcess.RepositoryRoot, "docs", "examples", "providers", "sign.mjs"), script, secret, file];
            if (timestamp is not null)
            {
                args.AddRange(["--timestamp", timestamp.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            if (id is not null)
            {
                args.AddRange(["--id", id]);
            }

            var result = await ServiceProcess.RunProgramAsync("node", new Dictionary<string, string?>(), [.. args]);
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            return JsonNode.Parse(result.StandardOutput)!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, string connectorId, string body, IDictionary<string, string> headers, string contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(headers);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/inbound/{connectorId}") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }
}
