using System.Net;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Platform;

/// <summary>
/// Writes that Postgres refuses (a NUL in text) interleaved, with a fixed seed, with ordinary requests
/// over a small connection pool, so that every connection serves requests after a failed statement. A connection
/// whose protocol state is in doubt must never serve another request: every answer is a 2xx or a 4xx problem, never
/// a 5xx (Npgsql's automatic statement preparation once left connections that answered a later request with another
/// statement's rows: "Received unexpected backend message DataRow").
/// </summary>
public sealed class RefusedWritesFuzzTests : ApiTest
{
    private const int Seed = 20261206;
    private const int Requests = 3000;

    /// <summary>Few connections, so each one serves many requests after a refused write.</summary>
    protected override string ServiceConnectionString(string database) =>
        new Npgsql.NpgsqlConnectionStringBuilder(database) { MaxPoolSize = 6 }.ConnectionString;

    [Test]
    public async Task Refused_writes_never_leave_a_connection_that_fails_a_later_request()
    {
        var tenant = await Host.NewTenantAsync();
        var inbound = await SignedSource.CreateAsync(Host, tenant);
        var webhook = await tenant.Http.CreateOutboundAsync("https://example.com/fuzz", """["sync.completed"]""");
        var random = new Random(Seed);
        var cases = Enumerable.Range(0, Requests).Select(i => Pick(random.Next(8), i, inbound, webhook.Id())).ToArray();

        var failures = new List<string>();
        using var gate = new SemaphoreSlim(8);
        // Plain clients: every answer is collected here (the contract check of Host.Client would stop at the first 5xx).
        using var client = new HttpClient { BaseAddress = Host.BaseAddress };
        using var api = new HttpClient { BaseAddress = Host.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        await Task.WhenAll(cases.Select(async (c, i) =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await c.Send(c.Inbound ? client : api);
                if ((int)response.StatusCode >= 500)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    lock (failures)
                    {
                        failures.Add($"#{i} {c.Name}: {(int)response.StatusCode} {body}");
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.That(failures, Is.Empty, $"{failures.Count} answers were 5xx, the first:{Environment.NewLine}"
            + string.Join(Environment.NewLine, failures.Take(5)) + Environment.NewLine + "The service logged:" + Environment.NewLine
            + string.Join(Environment.NewLine, Host.Logs.Entries.Where(e => e.StartsWith("Error", StringComparison.Ordinal)).Take(3)));
    }

    private static FuzzCase Pick(int kind, int i, SignedSource inbound, string webhookId) => kind switch
    {
        0 => new("inbound with NUL in JSON text", true, c => inbound.SendAsync(c, $$"""{"n":{{i}},"s":"a\u0000b"}""", $"nul-{i}")),
        1 => new("inbound", true, c => inbound.SendAsync(c, $$"""{"n":{{i}},"x":-1e+308}""", $"ok-{i}")),
        2 => new("publish", false, c => c.PostJsonAsync("/v1/events", $$$"""{"type":"sync.completed","data":{"n":{{{i}}}}}""")),
        3 => new("publish with NUL in idempotency key", false, c => c.PostJsonAsync("/v1/events", $$"""{"type":"sync.completed","data":{},"idempotency_key":"k\u0000{{i}}"}""")),
        4 => new("create with NUL in description", false, c => c.PostJsonAsync("/v1/webhooks", """{"url":"https://example.com/a","event_types":["*"],"description":"a\u0000b"}""")),
        5 => new("patch with NUL in description", false, c => c.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"description":"x\u0000y"}""")),
        6 => new("list", false, c => c.GetAsync("/v1/webhooks?limit=5")),
        _ => new("get", false, c => c.GetAsync($"/v1/webhooks/{webhookId}")),
    };

    private sealed record FuzzCase(string Name, bool Inbound, Func<HttpClient, Task<HttpResponseMessage>> Send);
}
