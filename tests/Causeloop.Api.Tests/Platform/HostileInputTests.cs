using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Platform;

/// <summary>
/// Thousands of malformed requests, generated with a fixed seed across every operation of the service's own OpenAPI
/// document: wrong types, unknown fields, huge numbers, deep nesting, invalid UTF-8, NUL, oversized strings and
/// headers, bad ids and cursors, duplicate keys, wrong content types. Every one is malformed by construction, so
/// none may change anything; none may be a 5xx; every 4xx is a problem detail.
/// </summary>
public sealed class HostileInputTests : ApiTest
{
    private const int Seed = 20261129;
    private const int Requests = 2400;

    private static readonly string[] Tables =
        ["workspaces", "api_keys", "connectors", "webhooks", "inbound_events", "events", "outbox", "deliveries", "delivery_attempts"];

    private static readonly string[] BadIds =
    [
        "not-a-uuid", "00000000-0000-0000-0000-000000000000", "12345678-1234-1234-1234-1234567890ab", "%00", "..%2F..%2Fetc",
        "'%20or%201=1--", "%F0%9F%92%A9", new string('9', 3000), "-1", "0x10", "%E2%80%AE", "%FF%FE",
    ];

    private static readonly string[] BadQueries =
    [
        "limit=0", "limit=101", "limit=-5", "limit=ten", "limit=0x10", "limit=50%00", "limit=1e3", "limit=99999999999999999999",
        "cursor=garbage", "cursor=%00", "cursor=" + new string('A', 5000), "limit=5&limit=6", "status=exploded", "direction=sideways",
        "enabled=maybe",
    ];

    [Test]
    public async Task Malformed_requests_to_every_operation_get_4xx_problems_never_5xx_and_change_nothing()
    {
        var tenant = await Host.NewTenantAsync();
        var operations = await OperationsAsync();
        Assert.That(operations, Has.Count.GreaterThanOrEqualTo(12), "the document lists the service's operations");
        var before = await SnapshotAsync();
        var random = new Random(Seed);
        var failures = new List<string>();
        var byOperation = new Dictionary<string, int>();

        using var gate = new SemaphoreSlim(8);
        var cases = Enumerable.Range(0, Requests).Select(i =>
        {
            var (method, template) = operations[i % operations.Count];
            return (Method: method, Template: template, Case: Generate(random, method, template, tenant.ApiKey));
        }).ToArray();

        await Task.WhenAll(cases.Select(async c =>
        {
            await gate.WaitAsync();
            try
            {
                using var client = Host.Client();
                using var request = c.Case.ToRequest();
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                lock (byOperation)
                {
                    byOperation[$"{c.Method} {c.Template}"] = byOperation.GetValueOrDefault($"{c.Method} {c.Template}") + 1;
                    // Kestrel refuses an encoded NUL in the request target itself, before any application code: a bare 400.
                    var refusedByKestrel = status == 400 && mediaType is null && c.Case.Path.Contains("%00", StringComparison.Ordinal);
                    if (status >= 500 || (status is >= 400 and < 500 && mediaType != "application/problem+json" && !refusedByKestrel)
                        || (status < 400 && c.Method != "GET"))
                    {
                        failures.Add($"{status} {mediaType} for {c.Case}");
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        var after = await SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(20)));
            Assert.That(after, Is.EqualTo(before), "no row changed");
            Assert.That(byOperation.Values.Sum(), Is.EqualTo(Requests));
            Assert.That(byOperation.Keys, Has.Count.EqualTo(operations.Count), "every operation was exercised");
        });
    }

    private async Task<List<(string Method, string Template)>> OperationsAsync()
    {
        using var client = Host.Client();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        return document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Method: op.Key.ToUpperInvariant(), Template: path.Key)))
            .Where(op => op.Method is "GET" or "POST" or "PATCH" or "DELETE")
            .OrderBy(op => op.Template, StringComparer.Ordinal).ThenBy(op => op.Method, StringComparer.Ordinal)
            .ToList();
    }

    private async Task<string> SnapshotAsync()
    {
        var parts = new List<string>();
        foreach (var table in Tables)
        {
            parts.Add(table + ":" + await Host.ScalarAsync<string>(
                $"select count(*) || '/' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') from {table} t"));
        }

        return string.Join(" ", parts);
    }

    private sealed record HostileRequest(string Method, string Path, byte[]? Body, string? ContentType, IReadOnlyList<(string Name, string Value)> Headers, string Why)
    {
        public HttpRequestMessage ToRequest()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), Path);
            if (Body is not null)
            {
                request.Content = new ByteArrayContent(Body);
                if (ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("content-type", ContentType);
                }
            }

            foreach (var (name, value) in Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return request;
        }

        public override string ToString() => $"{Method} {Path[..Math.Min(Path.Length, 120)]} ({Why})";
    }

    private static HostileRequest Generate(Random random, string method, string template, string apiKey)
    {
        var auth = new List<(string, string)> { ("Authorization", "Bearer " + apiKey) };
        var hasIds = template.Contains('{', StringComparison.Ordinal);
        var path = hasIds ? FillIds(random, template) : template;
        var why = hasIds ? "ids that name nothing" : "";

        // Some requests also carry a hostile credential or header; with a bad key the answer is 401 either way.
        switch (random.Next(8))
        {
            case 0:
                auth = [("Authorization", "Bearer cl_" + new string('x', 6000))];
                why += ", oversized key";
                break;
            case 1:
                auth.Add(("X-Padding", new string('p', 8000)));
                why += ", oversized header";
                break;
        }

        if (method is "GET" or "DELETE")
        {
            var query = BadQueries[random.Next(BadQueries.Length)];
            return new HostileRequest(method, $"{path}?{query}", null, null, auth, $"{why}, ?{query}".TrimStart(',', ' '));
        }

        // Writes to a collection have no bad id to stop them: the body itself is malformed, in one of many ways.
        var (body, contentType, bodyWhy) = MalformedBody(random, template);
        return new HostileRequest(method, path, body, contentType, auth, $"{why}, {bodyWhy}".TrimStart(',', ' '));
    }

    private static string FillIds(Random random, string template)
    {
        var builder = new StringBuilder();
        var rest = template.AsSpan();
        while (rest.IndexOf('{') is var open and >= 0)
        {
            builder.Append(rest[..open]);
            var close = rest.IndexOf('}');
            builder.Append(random.Next(3) == 0 ? Guid.NewGuid().ToString() : BadIds[random.Next(BadIds.Length)]);
            rest = rest[(close + 1)..];
        }

        return builder.Append(rest).ToString();
    }

    private static (byte[] Body, string? ContentType, string Why) MalformedBody(Random random, string template)
    {
        var valid = template switch
        {
            "/v1/connectors" => """{"name":"hostile","kind":"custom"}""",
            "/v1/events" => """{"type":"sync.completed","data":{"n":1}}""",
            _ => """{"url":"https://example.com/hooks","event_types":["*"]}""",
        };
        const string json = "application/json";
        return random.Next(14) switch
        {
            0 => (Utf8(valid[..(valid.Length / 2)]), json, "truncated JSON"),
            1 => (Utf8(new[] { "[]", "\"x\"", "42", "null", "true", "[{}]" }[random.Next(6)]), json, "wrong top-level type"),
            2 => (Utf8(valid[..^1] + ",\"zz_unknown\":1}"), json, "unknown field"),
            3 => (Utf8(WrongTypes(random, template)), json, "wrong types"),
            4 => (Utf8(new string('[', 5000) + new string(']', 5000)), json, "deep nesting"),
            5 => ([.. Utf8(valid[..^2]), 0xFF, 0xFE, 0xC3, .. Utf8("\"}")], json, "invalid UTF-8"),
            6 => (Utf8(valid.Replace("\"}", "\"\\u0000\"}", StringComparison.Ordinal).Replace("\":\"", "\":\"\\u0000", StringComparison.Ordinal) + "}"), json, "NUL and a stray brace"),
            7 => (Utf8(OversizedStrings(template)), json, "oversized strings"),
            8 => (Utf8(valid[..^1] + "," + valid[1..]), json, "duplicate keys"),
            9 => (Utf8(HugeNumbers(template)), json, "huge numbers"),
            10 => (Utf8(valid), new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x" }[random.Next(4)], "wrong content type"),
            11 => (Utf8(valid), null, "no content type"),
            12 => (Utf8(valid), "application/json; charset=utf-16", "charset that does not match the bytes"),
            _ => ([], json, "empty body"),
        };
    }

    private static string WrongTypes(Random random, string template) => template switch
    {
        "/v1/connectors" => random.Next(2) == 0 ? """{"name":["a"],"kind":"custom"}""" : """{"name":"a","kind":7}""",
        "/v1/events" => random.Next(2) == 0 ? """{"type":42,"data":{}}""" : """{"type":"sync.completed","data":{},"idempotency_key":{}}""",
        _ => random.Next(3) switch
        {
            0 => """{"url":12,"event_types":["*"]}""",
            1 => """{"url":"https://example.com/h","event_types":"*"}""",
            _ => """{"url":"https://example.com/h","event_types":["*"],"enabled":"yes"}""",
        },
    };

    private static string OversizedStrings(string template)
    {
        var big = new string('a', 300_000);
        return template switch
        {
            "/v1/connectors" => $$$"""{"name":"{{{big}}}","kind":"custom"}""",
            "/v1/events" => $$$"""{"type":"{{{big}}}","data":{}}""",
            _ => $$$"""{"url":"https://example.com/{{{big}}}","event_types":["*"],"description":"{{{big}}}"}""",
        };
    }

    private static string HugeNumbers(string template) => template switch
    {
        "/v1/connectors" => """{"name":"a","kind":"custom","n":1e999999}""",
        "/v1/events" => """{"type":1e999999,"data":{}}""",
        _ => """{"url":"https://example.com/h","event_types":["*"],"enabled":1e999999}""",
    };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
