using Causeloop.Domain.Webhooks;

namespace Causeloop.Domain.Tests;

public sealed class WebhookRuleTests
{
    [TestCase("https://example.com/hooks")]
    [TestCase("http://example.com:8080/a?b=c")]
    [TestCase("http://127.0.0.1:9000/hook")]
    public void Absolute_http_and_https_urls_are_accepted(string url)
    {
        Assert.That(EndpointUrl.Validate(url), Is.Null);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("/relative/path")]
    [TestCase("example.com/hook")]
    [TestCase("ftp://example.com/file")]
    [TestCase("file:///etc/passwd")]
    [TestCase("javascript:alert(1)")]
    [TestCase("https://user:pass@example.com/")]
    [TestCase("https://exa mple.com/")]
    public void Other_urls_are_refused(string? url)
    {
        Assert.That(EndpointUrl.Validate(url), Is.Not.Null);
    }

    [Test]
    public void Urls_longer_than_2048_characters_are_refused()
    {
        var prefix = "https://example.com/";
        Assert.Multiple(() =>
        {
            Assert.That(EndpointUrl.Validate(prefix + new string('a', 2048 - prefix.Length)), Is.Null);
            Assert.That(EndpointUrl.Validate(prefix + new string('a', 2049 - prefix.Length)), Is.Not.Null);
        });
    }

    [Test]
    public void Event_types_come_from_the_catalog_or_are_the_wildcard_alone()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EventTypeFilter.Validate(["sync.completed"]), Is.Null);
            Assert.That(EventTypeFilter.Validate(["sync.completed", "issue.ingested", "pattern.detected", "webhook.test"]), Is.Null);
            Assert.That(EventTypeFilter.Validate(["*"]), Is.Null);
            Assert.That(EventTypeFilter.Validate([]), Is.Not.Null);
            Assert.That(EventTypeFilter.Validate(null), Is.Not.Null);
            Assert.That(EventTypeFilter.Validate(["sync.complete"]), Does.Contain("sync.complete"));
            Assert.That(EventTypeFilter.Validate(["*", "sync.completed"]), Is.Not.Null);
            Assert.That(EventTypeFilter.Validate(["sync.completed", "sync.completed"]), Is.Not.Null);
        });
    }

    [Test]
    public void Matching_honours_the_wildcard()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EventTypeFilter.Matches(["*"], "pattern.detected"), Is.True);
            Assert.That(EventTypeFilter.Matches(["sync.completed"], "sync.completed"), Is.True);
            Assert.That(EventTypeFilter.Matches(["sync.completed"], "issue.ingested"), Is.False);
        });
    }

    [Test]
    public void The_catalog_is_the_one_in_the_spec_each_with_a_description()
    {
        Assert.That(EventType.Catalog.Select(t => t.Name), Is.EquivalentTo(new[]
        {
            "sync.completed", "issue.ingested", "pattern.detected", "webhook.test",
            "endpoint.failing", "endpoint.disabled", "endpoint.enabled", "message.attempt.exhausted", "message.attempt.recovered",
        }));
        Assert.That(EventType.Catalog.All(t => t.Description.Length > 10), Is.True);
        Assert.That(EventType.Catalog.All(t => System.Text.Json.JsonDocument.Parse(t.Example).RootElement.ValueKind == System.Text.Json.JsonValueKind.Object), Is.True, "each with an example data object");
        Assert.That(EventType.Catalog.Where(t => t.Operational).Select(t => t.Name), Has.All.StartWith("endpoint.").Or.StartWith("message."));
    }
}
