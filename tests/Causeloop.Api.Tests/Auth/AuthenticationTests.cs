using System.Net;
using System.Net.Http.Headers;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Domain.Access;
using Causeloop.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Auth;

public sealed class AuthenticationTests : ApiTest
{
    private static readonly string[] Routes =
    [
        "GET /v1/webhooks", "POST /v1/webhooks", "GET /v1/webhooks/{id}", "PATCH /v1/webhooks/{id}", "DELETE /v1/webhooks/{id}",
        "POST /v1/webhooks/{id}/rotate-secret", "POST /v1/webhooks/{id}/test", "GET /v1/event-types",
        "GET /v1/connectors", "POST /v1/connectors", "GET /v1/connectors/{id}", "DELETE /v1/connectors/{id}", "GET /v1/connectors/{id}/events",
        "POST /v1/events", "GET /v1/webhooks/{id}/deliveries", "GET /v1/webhooks/{id}/deliveries/{id}",
        "POST /v1/webhooks/{id}/deliveries/{id}/redeliver",
    ];

    [TestCaseSource(nameof(Routes))]
    public async Task No_key_is_401_with_an_invalid_token_challenge(string route)
    {
        using var client = Host.Client();
        var response = await client.SendAsync(Request(route));
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer error=\"invalid_token\""));
    }

    [TestCase("cl_unknownkeyunknownkeyunknownkeyunknownkey123")]
    [TestCase("not-even-a-key")]
    public async Task An_unknown_key_is_401(string key)
    {
        using var client = Host.Client(key);
        var response = await client.GetAsync("/v1/webhooks");
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer error=\"invalid_token\""));
    }

    [Test]
    public async Task A_non_bearer_authorization_is_401()
    {
        var tenant = await Host.NewTenantAsync();
        using var client = Host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", tenant.ApiKey);
        await (await client.GetAsync("/v1/webhooks")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_revoked_key_is_401()
    {
        var tenant = await Host.NewTenantAsync();
        await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();
        await Host.Services.GetRequiredService<ApiKeyStore>().RevokeAsync(tenant.ApiKey, CancellationToken.None);
        await (await tenant.Http.GetAsync("/v1/webhooks")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_key_revoked_by_hand_in_SQL_is_refused_as_soon_as_the_revocation_commits()
    {
        // The service remembers valid keys while it hears of every change to them (a trigger NOTIFYs at the commit).
        var tenant = await Host.NewTenantAsync();
        await WaitUntilKeysAreRememberedAsync();
        await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();
        await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();

        await Host.ExecuteAsync("update api_keys set revoked_at = now() where prefix = @prefix", new { prefix = ApiKey.VisiblePrefix(tenant.ApiKey) });
        await RefusedSoonAsync(tenant, "after a revocation in SQL");
    }

    [Test]
    public async Task While_the_service_cannot_hear_of_key_changes_it_looks_every_key_up()
    {
        var tenant = await Host.NewTenantAsync();
        await WaitUntilKeysAreRememberedAsync();
        await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();

        // Its LISTEN connection is cut: a revocation meanwhile sends a NOTIFY nobody hears.
        await Host.ExecuteAsync("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = @listen",
            new { listen = $"listen {ApiKeyCache.Channel}" });
        await Eventually.HoldsAsync(() => Task.FromResult(!Host.Services.GetRequiredService<ApiKeyCache>().Serving), "the cache stops serving");
        await Host.ExecuteAsync("update api_keys set revoked_at = now() where prefix = @prefix", new { prefix = ApiKey.VisiblePrefix(tenant.ApiKey) });
        await (await tenant.Http.GetAsync("/v1/webhooks")).ProblemAsync(HttpStatusCode.Unauthorized);

        // Listening again, it serves again, and still refuses the revoked key.
        await WaitUntilKeysAreRememberedAsync();
        await (await tenant.Http.GetAsync("/v1/webhooks")).ProblemAsync(HttpStatusCode.Unauthorized);
        var other = await Host.NewTenantAsync();
        await (await other.Http.GetAsync("/v1/webhooks")).OkAsync();
    }

    private async Task WaitUntilKeysAreRememberedAsync() =>
        await Eventually.HoldsAsync(() => Task.FromResult(Host.Services.GetRequiredService<ApiKeyCache>().Serving), "the service listens for key changes");

    /// <summary>The NOTIFY reaches the service a moment after the commit: refused within a second, and for good.</summary>
    private static async Task RefusedSoonAsync(Tenant tenant, string what)
    {
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await tenant.Http.GetAsync("/v1/webhooks");
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, $"the key is refused {what}", TimeSpan.FromSeconds(1));
        await (await tenant.Http.GetAsync("/v1/webhooks")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_read_key_cannot_write_403_naming_the_scope()
    {
        var tenant = await Host.NewTenantAsync(Scope.WebhooksRead);
        var before = await Host.ScalarAsync<long>("select count(*) from webhooks");
        var response = await tenant.Http.PostJsonAsync("/v1/webhooks", """{"url":"https://example.com/h","event_types":["*"]}""");
        await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Multiple(async () =>
        {
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer error=\"insufficient_scope\", scope=\"webhooks:admin\""));
            Assert.That(await Host.ScalarAsync<long>("select count(*) from webhooks"), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task A_key_without_any_webhooks_scope_cannot_read_403()
    {
        var tenant = await Host.NewTenantAsync(Scope.ConnectorsAdmin, Scope.EventsWrite);
        var response = await tenant.Http.GetAsync("/v1/webhooks");
        await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer error=\"insufficient_scope\", scope=\"webhooks:read\""));
    }

    [Test]
    public async Task Admin_implies_read()
    {
        var tenant = await Host.NewTenantAsync(Scope.WebhooksAdmin);
        var id = (await tenant.Http.CreateOutboundAsync()).Id();
        await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();
        await (await tenant.Http.GetAsync($"/v1/webhooks/{id}")).OkAsync();
    }

    [Test]
    public async Task Every_write_route_needs_admin_and_every_read_route_read()
    {
        var admin = await Host.NewTenantAsync();
        var reader = Host.Client(await Host.CreateKeyAsync(admin.Workspace, Scope.WebhooksRead, Scope.ConnectorsRead));
        var id = (await admin.Http.CreateOutboundAsync()).Id();
        var writes = new[] { $"PATCH /v1/webhooks/{id}", $"DELETE /v1/webhooks/{id}", $"POST /v1/webhooks/{id}/rotate-secret", $"POST /v1/webhooks/{id}/test", "POST /v1/connectors" };
        foreach (var route in writes)
        {
            var response = await reader.SendAsync(Request(route));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), route);
        }

        await (await reader.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{}}""")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.GetAsync($"/v1/webhooks/{id}")).OkAsync();
        await (await reader.GetAsync("/v1/connectors")).OkAsync();
    }

    private static HttpRequestMessage Request(string route)
    {
        var parts = route.Split(' ');
        var path = parts[1].Replace("{id}", Guid.CreateVersion7().ToString(), StringComparison.Ordinal);
        var method = new HttpMethod(parts[0]);
        return new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get || method == HttpMethod.Delete ? null : Support.Json.Body("{}") };
    }
}
