using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Domain.Access;

namespace Causeloop.Api.Tests.Inbound;

public sealed class ConnectorsApiTests : ApiTest
{
    [Test]
    public async Task Connectors_can_be_created_listed_read_and_deleted()
    {
        var tenant = await Host.NewTenantAsync(Scope.ConnectorsAdmin);
        var created = await tenant.Http.CreateConnectorAsync("custom", name: "GitHub");
        var id = created.Id();
        var fetched = await (await tenant.Http.GetAsync($"/v1/connectors/{id}")).OkAsync();
        var list = await (await tenant.Http.GetAsync("/v1/connectors")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(created["name"]!.GetValue<string>(), Is.EqualTo("GitHub"));
            Assert.That(created["kind"]!.GetValue<string>(), Is.EqualTo("custom"));
            Assert.That(created["created_at"]!.GetValue<string>(), Does.EndWith("Z"));
            Assert.That(fetched.ToJsonString(), Is.EqualTo(created.ToJsonString()));
            Assert.That(list["data"]!.AsArray().Select(c => c!.Id()), Is.EqualTo(new[] { id }));
        });

        Assert.That((await tenant.Http.DeleteAsync($"/v1/connectors/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await tenant.Http.GetAsync($"/v1/connectors/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.Http.DeleteAsync($"/v1/connectors/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [TestCase("""{"name":"","kind":"custom"}""", "name")]
    [TestCase("""{"kind":"custom"}""", "name")]
    [TestCase("""{"name":"x","kind":"bitbucket"}""", "kind")]
    [TestCase("""{"name":"x"}""", "kind")]
    [TestCase("""{"name":"x","kind":"custom","extra":true}""", "extra")]
    [TestCase("""{"name":5,"kind":"custom"}""", "name")]
    public async Task Bad_connector_input_is_400(string json, string field)
    {
        var tenant = await Host.NewTenantAsync();
        var problem = await (await tenant.Http.PostJsonAsync("/v1/connectors", json)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!.AsObject().ContainsKey(field), Is.True, problem.ToJsonString());
    }

    [Test]
    public async Task An_inbound_webhook_carries_connector_id_and_an_absolute_inbound_url_but_no_url_or_event_types()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        var webhook = await (await endpoint.Tenant.Http.GetAsync($"/v1/webhooks/{endpoint.WebhookId}")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(webhook["direction"]!.GetValue<string>(), Is.EqualTo("inbound"));
            Assert.That(webhook["connector_id"]!.GetValue<string>(), Is.EqualTo(endpoint.ConnectorId));
            Assert.That(webhook["url"], Is.Null);
            Assert.That(webhook["event_types"], Is.Null);
            Assert.That(webhook["inbound_url"]!.GetValue<string>(), Is.EqualTo(new Uri(Host.BaseAddress, $"/v1/webhooks/inbound/{endpoint.ConnectorId}").ToString()));
            Assert.That(endpoint.InboundUrl, Is.EqualTo(webhook["inbound_url"]!.GetValue<string>()));
            Assert.That(endpoint.Secret, Does.StartWith("whsec_"));
        });
    }

    [Test]
    public async Task A_connector_has_at_most_one_inbound_webhook()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        var before = await Host.ScalarAsync<long>("select count(*) from webhooks");
        await (await endpoint.Tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"connector_id":"{{endpoint.ConnectorId}}"}""")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.That(await Host.ScalarAsync<long>("select count(*) from webhooks"), Is.EqualTo(before));
    }

    [TestCase("""{"connector_id":"{0}","url":"https://example.com/h"}""", "url")]
    [TestCase("""{"connector_id":"{0}","event_types":["*"]}""", "event_types")]
    public async Task An_inbound_webhook_takes_no_url_or_event_types(string template, string field)
    {
        var tenant = await Host.NewTenantAsync();
        var connector = await tenant.Http.CreateConnectorAsync();
        var problem = await (await tenant.Http.PostJsonAsync("/v1/webhooks", template.Replace("{0}", connector.Id(), StringComparison.Ordinal))).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!.AsObject().ContainsKey(field), Is.True);
    }

    [Test]
    public async Task Patching_url_or_event_types_of_an_inbound_webhook_is_400()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        await (await endpoint.Tenant.Http.PatchJsonAsync($"/v1/webhooks/{endpoint.WebhookId}", """{"url":"https://example.com/x"}""")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await endpoint.Tenant.Http.PatchJsonAsync($"/v1/webhooks/{endpoint.WebhookId}", """{"event_types":["*"]}""")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await endpoint.Tenant.Http.PatchJsonAsync($"/v1/webhooks/{endpoint.WebhookId}", """{"description":"ok"}""")).OkAsync();
    }

    [Test]
    public async Task Disabling_the_inbound_webhook_turns_ingestion_off_and_enabling_turns_it_back_on()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, "{}"));
        await (await endpoint.Tenant.Http.PatchJsonAsync($"/v1/webhooks/{endpoint.WebhookId}", """{"enabled":false}""")).OkAsync();
        Assert.That((await endpoint.SendAsync(source, "{}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await (await endpoint.Tenant.Http.PatchJsonAsync($"/v1/webhooks/{endpoint.WebhookId}", """{"enabled":true}""")).OkAsync();
        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, "{}"));
    }

    [Test]
    public async Task Deleting_the_connector_deletes_its_inbound_webhook_but_keeps_what_was_ingested()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, "{\"kept\":true}"));
        await endpoint.Tenant.Http.DeleteAsync($"/v1/connectors/{endpoint.ConnectorId}");
        await (await endpoint.Tenant.Http.GetAsync($"/v1/webhooks/{endpoint.WebhookId}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @id", new { id = Guid.Parse(endpoint.ConnectorId) }), Is.EqualTo(1));
    }

    [Test]
    public async Task Events_of_a_connector_are_listed_newest_first_with_their_payload_and_paged()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, $$"""{"n":{{i}}}""", $"e{i}")))["id"]!.GetValue<string>());
        }

        var first = await (await endpoint.Tenant.Http.GetAsync($"/v1/connectors/{endpoint.ConnectorId}/events?limit=3")).OkAsync();
        var cursor = first["next_cursor"]!.GetValue<string>();
        var second = await (await endpoint.Tenant.Http.GetAsync($"/v1/connectors/{endpoint.ConnectorId}/events?limit=3&cursor={Uri.EscapeDataString(cursor)}")).OkAsync();
        var seen = first["data"]!.AsArray().Concat(second["data"]!.AsArray()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(seen.Select(e => e!.Id()), Is.EqualTo(Enumerable.Reverse(ids).ToList()));
            Assert.That(seen[0]!["payload"]!["n"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(seen[0]!["event_id"]!.GetValue<string>(), Is.EqualTo("e4"));
            Assert.That(second["next_cursor"], Is.Null);
        });
    }

    [Test]
    public async Task Connector_routes_are_isolated_by_workspace_and_scoped()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        var stranger = await Host.NewTenantAsync();
        await (await stranger.Http.GetAsync($"/v1/connectors/{endpoint.ConnectorId}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.GetAsync($"/v1/connectors/{endpoint.ConnectorId}/events")).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.DeleteAsync($"/v1/connectors/{endpoint.ConnectorId}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.PostJsonAsync("/v1/webhooks", $$"""{"connector_id":"{{endpoint.ConnectorId}}"}""")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.That((await (await stranger.Http.GetAsync("/v1/connectors")).OkAsync())["data"]!.AsArray(), Is.Empty);
        await (await endpoint.Tenant.Http.GetAsync($"/v1/connectors/{endpoint.ConnectorId}")).OkAsync();

        var webhooksOnly = Host.Client(await Host.CreateKeyAsync(endpoint.Tenant.Workspace, Scope.WebhooksAdmin));
        await (await webhooksOnly.GetAsync("/v1/connectors")).ProblemAsync(HttpStatusCode.Forbidden);
        var reader = Host.Client(await Host.CreateKeyAsync(endpoint.Tenant.Workspace, Scope.ConnectorsRead));
        await (await reader.GetAsync($"/v1/connectors/{endpoint.ConnectorId}/events")).OkAsync();
        await (await reader.DeleteAsync($"/v1/connectors/{endpoint.ConnectorId}")).ProblemAsync(HttpStatusCode.Forbidden);
    }
}
