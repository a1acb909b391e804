using System.Net;
using System.Text.Json.Nodes;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Platform;

public sealed class PlatformTests : ApiTest
{
    [Test]
    public async Task OpenApi_3_1_document_describes_every_endpoint_and_the_bearer_scheme()
    {
        using var client = Host.Client();
        var document = await (await client.GetAsync("/openapi/v1.json")).OkAsync();
        var paths = document["paths"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(document["openapi"]!.GetValue<string>(), Does.StartWith("3.1"));
            Assert.That(paths.Select(p => p.Key), Is.SupersetOf(new[]
            {
                "/v1/webhooks", "/v1/webhooks/{id}", "/v1/webhooks/{id}/rotate-secret", "/v1/webhooks/{id}/test", "/v1/event-types",
                "/v1/connectors", "/v1/connectors/{id}", "/v1/connectors/{id}/events", "/v1/events",
                "/v1/webhooks/{webhookId}/deliveries", "/v1/webhooks/{webhookId}/deliveries/{deliveryId}",
                "/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", "/v1/webhooks/inbound/{connectorId}",
            }));
            Assert.That(document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>(), Is.EqualTo("bearer"));
            var create = paths["/v1/webhooks"]!["post"]!;
            Assert.That(create["responses"]!.AsObject().Select(r => r.Key), Is.SupersetOf(new[] { "201", "400", "401", "403" }));
            Assert.That(create["requestBody"]!["content"]!["application/json"]!["schema"], Is.Not.Null);
            Assert.That(create["security"]!.AsArray(), Is.Not.Empty);
            Assert.That(paths["/v1/webhooks/inbound/{connectorId}"]!["post"]!["security"], Is.Null, "inbound takes no bearer token");
        });
    }

    [Test]
    public async Task The_patch_body_is_described_as_plain_values_not_wrappers()
    {
        using var client = Host.Client();
        var document = await (await client.GetAsync("/openapi/v1.json")).OkAsync();
        var schemas = document["components"]!["schemas"]!;
        var patch = schemas["UpdateWebhookRequest"]!["properties"]!;
        JsonNode Resolve(JsonNode property) =>
            property["$ref"] is { } reference ? schemas[reference.GetValue<string>().Split('/')[^1]]! : property;
        Assert.Multiple(() =>
        {
            Assert.That(Resolve(patch["url"]!)["type"]!.ToJsonString(), Does.Contain("string"));
            Assert.That(Resolve(patch["event_types"]!)["type"]!.ToJsonString(), Does.Contain("array"));
            Assert.That(Resolve(patch["enabled"]!)["type"]!.ToJsonString(), Does.Contain("boolean"));
            Assert.That(document.ToJsonString(), Does.Not.Contain("is_present"));
        });
    }

    [Test]
    public async Task Scalar_reference_is_served()
    {
        using var client = Host.Client();
        var response = await client.GetAsync("/scalar");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("openapi/v1.json").Or.Contain("scalar"));
        });
    }

    [Test]
    public async Task Health_endpoints_answer()
    {
        using var client = Host.Client();
        Assert.Multiple(async () =>
        {
            Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Unknown_routes_are_404_problems()
    {
        var tenant = await Host.NewTenantAsync();
        await (await tenant.Http.GetAsync("/v1/nothing-here")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
