using Causeloop.Domain.Webhooks;

namespace Causeloop.Domain.Tests;

/// <summary>SPEC §17: which static headers an outbound webhook may carry.</summary>
public sealed class EndpointHeadersTests
{
    [Test]
    public void Ordinary_headers_up_to_twenty_are_accepted_and_none_is_fine()
    {
        var twenty = Enumerable.Range(1, 20).ToDictionary(i => $"X-Custom-{i}", i => (string?)$"value {i}");
        Assert.Multiple(() =>
        {
            Assert.That(EndpointHeaders.Validate(twenty, withAuth: false), Is.Null);
            Assert.That(EndpointHeaders.Validate(null, withAuth: false), Is.Null);
            Assert.That(EndpointHeaders.Validate(new Dictionary<string, string?>(), withAuth: true), Is.Null);
            Assert.That(EndpointHeaders.Validate(Map("Authorization", "Basic dTpw"), withAuth: false), Is.Null, "a static authorization without auth");
            Assert.That(EndpointHeaders.Validate(Map("X-Api-Key", "k_!#$%&'*+-.^_`|~ \t"), withAuth: false), Is.Null);
        });
    }

    [Test]
    public void Twenty_one_headers_are_refused() =>
        Assert.That(EndpointHeaders.Validate(Enumerable.Range(1, 21).ToDictionary(i => $"X-{i}", _ => (string?)"v"), withAuth: false), Does.Contain("At most 20"));

    // Causeloop's own, the body's, the trace context's, the connection's (hop-by-hop) and host; any case.
    [TestCase("content-type")]
    [TestCase("Content-Length")]
    [TestCase("content-encoding")]
    [TestCase("User-Agent")]
    [TestCase("x-causeloop-signature")]
    [TestCase("X-Causeloop-Event-Id")]
    [TestCase("x-causeloop-ordering-key")]
    [TestCase("webhook-id")]
    [TestCase("Webhook-Signature")]
    [TestCase("webhook-timestamp")]
    [TestCase("traceparent")]
    [TestCase("tracestate")]
    [TestCase("baggage")]
    [TestCase("Connection")]
    [TestCase("keep-alive")]
    [TestCase("Proxy-Authorization")]
    [TestCase("proxy-authenticate")]
    [TestCase("TE")]
    [TestCase("trailer")]
    [TestCase("Transfer-Encoding")]
    [TestCase("upgrade")]
    [TestCase("Host")]
    [TestCase("expect")]
    public void Headers_causeloop_or_the_connection_sets_are_refused(string name) =>
        Assert.That(EndpointHeaders.Validate(Map(name, "x"), withAuth: false), Does.Contain($"The header {name} cannot be set"));

    [Test]
    public void Authorization_is_refused_while_the_webhook_has_auth() =>
        Assert.That(EndpointHeaders.Validate(Map("authorization", "Bearer x"), withAuth: true), Does.Contain("while the webhook has auth"));

    [TestCase("")]
    [TestCase("X Header")]
    [TestCase("X-Header:")]
    [TestCase("X-Ünicode")]
    [TestCase("(comment)")]
    public void Names_that_are_not_http_tokens_are_refused(string name) =>
        Assert.That(EndpointHeaders.Validate(Map(name, "x"), withAuth: false), Does.Contain("HTTP token"));

    [TestCase("line\r\nX-Injected: 1")]
    [TestCase("nul\0")]
    [TestCase("café")]
    [TestCase("")]
    [TestCase(null)]
    public void Values_that_are_not_printable_ascii_are_refused(string? value) =>
        Assert.That(EndpointHeaders.Validate(Map("X-A", value), withAuth: false), Is.Not.Null);

    [Test]
    public void A_name_given_twice_in_another_case_is_refused() =>
        Assert.That(EndpointHeaders.Validate(new Dictionary<string, string?> { ["X-A"] = "1", ["x-a"] = "2" }, withAuth: false), Does.Contain("given twice"));

    [Test]
    public void Limits_on_length()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EndpointHeaders.Validate(Map(new string('a', 256), "v"), withAuth: false), Is.Null);
            Assert.That(EndpointHeaders.Validate(Map(new string('a', 257), "v"), withAuth: false), Is.Not.Null);
            Assert.That(EndpointHeaders.Validate(Map("X-A", new string('v', 4096)), withAuth: false), Is.Null);
            Assert.That(EndpointHeaders.Validate(Map("X-A", new string('v', 4097)), withAuth: false), Is.Not.Null);
        });
    }

    private static Dictionary<string, string?> Map(string name, string? value) => new() { [name] = value };
}
