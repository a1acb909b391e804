using System.Security.Cryptography;
using System.Text;
using Causeloop.Domain.Inbound;
using Causeloop.Domain.Signing;

namespace Causeloop.Domain.Tests;

/// <summary>Each provider's scheme against its published vector (exact bytes), and every way a request can fail.</summary>
public sealed class InboundSchemeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    private static InboundVerdict Verify(string kind, string secret, string body, params (string, string)[] headers) =>
        Verify(kind, secret, body, Now, headers);

    private static InboundVerdict Verify(string kind, string secret, string body, DateTimeOffset now, params (string, string)[] headers) =>
        InboundSchemes.Verify(kind, new InboundRequest(Encoding.UTF8.GetBytes(body), InboundHeaders.Of(headers), [SigningSecret.FromStored(secret)], now, Tolerance));

    private static string Hex(string key, string data) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data)));

    [Test]
    public void GitHub_documented_example_verifies()
    {
        // docs.github.com, "Validating webhook deliveries": secret "It's a Secret to Everybody", body "Hello, World!".
        var verdict = Verify(ConnectorKind.GitHub, "It's a Secret to Everybody", "Hello, World!",
            ("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
            ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"), ("X-GitHub-Event", "issues"));
        Assert.Multiple(() =>
        {
            Assert.That(verdict.IsVerified, Is.True);
            Assert.That(verdict.DedupeId, Is.EqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958"));
            Assert.That(verdict.EventType, Is.EqualTo("issues"));
        });
    }

    [Test]
    public void Shopify_library_vector_verifies()
    {
        // @shopify/shopify-api's test: secret "test_secret_key", body {"foo": "bar"}.
        var verdict = Verify(ConnectorKind.Shopify, "test_secret_key", """{"foo": "bar"}""",
            ("X-Shopify-Hmac-Sha256", "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="), ("X-Shopify-Webhook-Id", "b54557e4"), ("X-Shopify-Topic", "orders/create"));
        Assert.Multiple(() =>
        {
            Assert.That(verdict.IsVerified, Is.True);
            Assert.That(verdict.DedupeId, Is.EqualTo("b54557e4"));
            Assert.That(verdict.EventType, Is.EqualTo("orders/create"));
        });
    }

    [Test]
    public void Slack_documented_example_verifies_at_its_time_and_is_stale_later()
    {
        const string body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        (string, string)[] headers = [("X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"), ("X-Slack-Request-Timestamp", "1531420618")];
        Assert.Multiple(() =>
        {
            Assert.That(Verify(ConnectorKind.Slack, "8f742231b10e8888abcd99yyyzzz85a5", body, DateTimeOffset.FromUnixTimeSeconds(1531420618 + 10), headers).IsVerified, Is.True);
            Assert.That(Verify(ConnectorKind.Slack, "8f742231b10e8888abcd99yyyzzz85a5", body, DateTimeOffset.FromUnixTimeSeconds(1531420618 + 301), headers).Reason,
                Is.EqualTo(RejectionReason.StaleTimestamp));
            Assert.That(Verify(ConnectorKind.Slack, "8f742231b10e8888abcd99yyyzzz85a5", body, DateTimeOffset.FromUnixTimeSeconds(1531420618 - 301), headers).Reason,
                Is.EqualTo(RejectionReason.StaleTimestamp), "a timestamp too far in the future is as stale as an old one");
        });
    }

    [Test]
    public void Stripe_vector_and_header_verify()
    {
        // stripe-node's test: HMAC of {"obj1":"hello","obj2":"world"} under "test_secret" (the signed payload here is the body alone).
        Assert.That(Hex("test_secret", """{"obj1":"hello","obj2":"world"}"""), Is.EqualTo("bebb1a643997f419b315ddba19e6f5411e1ce7f810ba6d3617ce72823092f363"));

        const string secret = "whsec_test_secret";
        const string body = """{"id":"evt_1","type":"invoice.paid"}""";
        var t = Now.ToUnixTimeSeconds();
        var verdict = Verify(ConnectorKind.Stripe, secret, body, ("Stripe-Signature", $"t={t},v1={new string('0', 64)},v1={Hex(secret, $"{t}.{body}")},v0=abc"));
        Assert.Multiple(() =>
        {
            Assert.That(verdict.IsVerified, Is.True, "any v1 may match");
            Assert.That(verdict.DedupeId, Is.EqualTo("evt_1"));
            Assert.That(verdict.EventType, Is.EqualTo("invoice.paid"));
        });
    }

    [Test]
    public void A_stripe_secret_and_a_standard_webhooks_secret_are_never_confused()
    {
        // The same whsec_ string: Stripe keys the HMAC with the whole string's UTF-8 bytes, Standard Webhooks with
        // the base64-decoded part after whsec_. Each kind accepts only its own construction.
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3bO5Om7cVjY=";
        const string body = """{"id":"evt_1","type":"ping"}""";
        var t = Now.ToUnixTimeSeconds();
        var stripeSignature = Hex(secret, $"{t}.{body}");
        var standardKey = Convert.FromBase64String(secret["whsec_".Length..]);
        var standardSignature = Convert.ToBase64String(HMACSHA256.HashData(standardKey, Encoding.UTF8.GetBytes($"msg_1.{t}.{body}")));
        var stripeWithStandardKey = Convert.ToHexStringLower(HMACSHA256.HashData(standardKey, Encoding.UTF8.GetBytes($"{t}.{body}")));
        var standardWithWholeString = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"msg_1.{t}.{body}")));

        Assert.Multiple(() =>
        {
            Assert.That(Verify(ConnectorKind.Stripe, secret, body, ("Stripe-Signature", $"t={t},v1={stripeSignature}")).IsVerified, Is.True);
            Assert.That(Verify(ConnectorKind.Stripe, secret, body, ("Stripe-Signature", $"t={t},v1={stripeWithStandardKey}")).Reason, Is.EqualTo(RejectionReason.SignatureMismatch));
            Assert.That(Verify(ConnectorKind.StandardWebhooks, secret, body,
                ("webhook-id", "msg_1"), ("webhook-timestamp", $"{t}"), ("webhook-signature", $"v1,{standardSignature}")).IsVerified, Is.True);
            Assert.That(Verify(ConnectorKind.StandardWebhooks, secret, body,
                ("webhook-id", "msg_1"), ("webhook-timestamp", $"{t}"), ("webhook-signature", $"v1,{standardWithWholeString}")).Reason, Is.EqualTo(RejectionReason.SignatureMismatch));
        });
    }

    [Test]
    public void Standard_webhooks_vector_of_the_outbound_tests_verifies_with_svix_headers_too()
    {
        // The Standard Webhooks specification's example (also used by the outbound signing tests).
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        const string body = """{"test": 2432232314}""";
        var at = DateTimeOffset.FromUnixTimeSeconds(1614265330);
        var signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        var webhook = InboundSchemes.Verify(ConnectorKind.StandardWebhooks, new InboundRequest(Encoding.UTF8.GetBytes(body),
            InboundHeaders.Of(("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"), ("webhook-timestamp", "1614265330"), ("webhook-signature", $"v1,bm9wZQ== {signature}")),
            [SigningSecret.FromStored(secret)], at, Tolerance));
        var svix = InboundSchemes.Verify(ConnectorKind.StandardWebhooks, new InboundRequest(Encoding.UTF8.GetBytes(body),
            InboundHeaders.Of(("svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"), ("svix-timestamp", "1614265330"), ("svix-signature", signature)),
            [SigningSecret.FromStored(secret)], at, Tolerance));
        Assert.Multiple(() =>
        {
            Assert.That(webhook.IsVerified, Is.True, "any v1 entry may match");
            Assert.That(webhook.DedupeId, Is.EqualTo("msg_p5jXN8AQM9LWM0D4loKWxJek"));
            Assert.That(svix.IsVerified, Is.True);
        });
    }

    [TestCase(ConnectorKind.PagerDuty, "X-PagerDuty-Signature", "v1=")]
    [TestCase(ConnectorKind.Jira, "X-Hub-Signature", "sha256=")]
    [TestCase(ConnectorKind.Linear, "Linear-Signature", "")]
    public void Body_hex_schemes_verify_their_own_construction(string kind, string header, string prefix)
    {
        var body = $$$"""{"webhookTimestamp":{{{Now.ToUnixTimeMilliseconds()}}},"webhookEvent":"jira:issue_created","event":{"event_type":"incident.triggered"}}""";
        var verdict = Verify(kind, "provider secret", body, (header, prefix + Hex("provider secret", body)));
        Assert.That(verdict.IsVerified, Is.True);
        Assert.That(Verify(kind, "provider secret", body + " ", (header, prefix + Hex("provider secret", body))).Reason, Is.EqualTo(RejectionReason.SignatureMismatch));
    }

    [Test]
    public void PagerDuty_accepts_any_of_several_signatures_and_reads_its_event_type()
    {
        const string body = """{"event":{"event_type":"incident.triggered"}}""";
        var verdict = Verify(ConnectorKind.PagerDuty, "pd secret", body,
            ("X-PagerDuty-Signature", $"v1={new string('1', 64)},v1={Hex("pd secret", body)}"), ("X-Webhook-Id", "whk_1"));
        Assert.Multiple(() =>
        {
            Assert.That(verdict.IsVerified, Is.True);
            Assert.That(verdict.EventType, Is.EqualTo("incident.triggered"));
            Assert.That(verdict.DedupeId, Is.EqualTo("whk_1"));
        });
    }

    [Test]
    public void Linear_keeps_its_own_sixty_seconds_whatever_the_tolerance()
    {
        var old = $$"""{"webhookTimestamp":{{Now.AddSeconds(-90).ToUnixTimeMilliseconds()}}}""";
        var missing = """{"action":"create"}""";
        Assert.Multiple(() =>
        {
            Assert.That(Verify(ConnectorKind.Linear, "lin", old, ("Linear-Signature", Hex("lin", old))).Reason, Is.EqualTo(RejectionReason.StaleTimestamp));
            Assert.That(Verify(ConnectorKind.Linear, "lin", missing, ("Linear-Signature", Hex("lin", missing))).Reason, Is.EqualTo(RejectionReason.StaleTimestamp));
        });
    }

    [Test]
    public void GitLab_takes_its_token_in_constant_time_or_its_signing_token_headers()
    {
        const string body = """{"object_kind":"push"}""";
        const string token = "gitlab-token-123";
        Assert.Multiple(() =>
        {
            var verdict = Verify(ConnectorKind.GitLab, token, body, ("X-Gitlab-Token", token), ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Event-UUID", "uuid-1"));
            Assert.That(verdict.IsVerified, Is.True);
            Assert.That(verdict.DedupeId, Is.EqualTo("uuid-1"));
            Assert.That(verdict.EventType, Is.EqualTo("Push Hook"));
            Assert.That(Verify(ConnectorKind.GitLab, token, body, ("X-Gitlab-Token", token), ("Idempotency-Key", "idem-1"), ("X-Gitlab-Event-UUID", "uuid-1")).DedupeId,
                Is.EqualTo("idem-1"));
            Assert.That(Verify(ConnectorKind.GitLab, token, body, ("X-Gitlab-Token", token + "x")).Reason, Is.EqualTo(RejectionReason.SignatureMismatch));
            Assert.That(Verify(ConnectorKind.GitLab, token, body).Reason, Is.EqualTo(RejectionReason.MissingSignature));

            const string signing = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3bO5Om7cVjY=";
            var t = Now.ToUnixTimeSeconds();
            var sig = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(signing[6..]), Encoding.UTF8.GetBytes($"m1.{t}.{body}")));
            Assert.That(Verify(ConnectorKind.GitLab, signing, body, ("webhook-id", "m1"), ("webhook-timestamp", $"{t}"), ("webhook-signature", $"v1,{sig}")).IsVerified, Is.True);
            Assert.That(Verify(ConnectorKind.GitLab, signing, body, ("webhook-id", "m1"), ("webhook-timestamp", $"{t - 400}"), ("webhook-signature", $"v1,{sig}")).IsVerified,
                Is.False);
        });
    }

    [TestCase(ConnectorKind.Custom)]
    [TestCase(ConnectorKind.StandardWebhooks)]
    [TestCase(ConnectorKind.GitHub)]
    [TestCase(ConnectorKind.Stripe)]
    [TestCase(ConnectorKind.Shopify)]
    [TestCase(ConnectorKind.Slack)]
    [TestCase(ConnectorKind.GitLab)]
    [TestCase(ConnectorKind.PagerDuty)]
    [TestCase(ConnectorKind.Linear)]
    [TestCase(ConnectorKind.Jira)]
    public void Every_kind_rejects_a_request_without_its_header_as_missing_signature(string kind) =>
        Assert.That(Verify(kind, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3bO5Om7cVjY=", "{}").Reason, Is.EqualTo(RejectionReason.MissingSignature));

    [TestCase(ConnectorKind.GitHub, "X-Hub-Signature-256", "sha1=abc")]
    [TestCase(ConnectorKind.GitHub, "X-Hub-Signature-256", "sha256=zz")]
    [TestCase(ConnectorKind.Shopify, "X-Shopify-Hmac-Sha256", "not base64!")]
    [TestCase(ConnectorKind.Stripe, "Stripe-Signature", "v1=abcd")]
    [TestCase(ConnectorKind.Slack, "X-Slack-Signature", "v1=abc")]
    [TestCase(ConnectorKind.Custom, "x-causeloop-signature", "xyz")]
    public void A_signature_that_cannot_be_read_is_malformed(string kind, string header, string value) =>
        Assert.That(Verify(kind, "secret", "{}", (header, value), ("X-Slack-Request-Timestamp", $"{Now.ToUnixTimeSeconds()}")).Reason,
            Is.EqualTo(RejectionReason.MalformedSignature));

    [Test]
    public void An_unknown_kind_verifies_nothing() =>
        Assert.That(Verify("bitbucket", "secret", "{}", ("x-causeloop-signature", Hex("secret", "{}"))).IsVerified, Is.False);

    [TestCase("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3bO5Om7cVjY=", ConnectorKind.StandardWebhooks, true)]
    [TestCase("whsec_c2hvcnQ=", ConnectorKind.StandardWebhooks, false)] // 5 bytes
    [TestCase("sk_live_not_whsec", ConnectorKind.StandardWebhooks, false)]
    [TestCase("whsec_anything at all", ConnectorKind.Stripe, true)]
    [TestCase("It's a Secret to Everybody", ConnectorKind.GitHub, true)]
    [TestCase("", ConnectorKind.GitHub, false)]
    [TestCase("tab\tinside", ConnectorKind.GitHub, false)]
    public void Imported_secrets_follow_the_rules(string value, string kind, bool valid) =>
        Assert.That(SigningSecret.Import(value, kind, out _) is not null, Is.EqualTo(valid));

    [Test]
    public void An_imported_secret_longer_than_512_characters_is_refused() =>
        Assert.That(SigningSecret.Import(new string('a', 513), ConnectorKind.Shopify, out var problem), Is.Null, problem);
}
