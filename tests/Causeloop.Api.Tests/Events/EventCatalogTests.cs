using System.Text.Json;
using System.Net;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Domain.Webhooks;
using Json.Schema;

namespace Causeloop.Api.Tests.Events;

/// <summary>The event catalog (SPEC §7, §18): each type's example satisfies its JSON Schema, and GET /v1/event-types serves both.</summary>
public sealed class EventCatalogTests : ApiTest
{
    [Test]
    public void Every_example_in_the_catalog_is_valid_against_its_schema()
    {
        Assert.Multiple(() =>
        {
            foreach (var type in EventType.Catalog)
            {
                var schema = JsonSchema.FromText(type.Schema, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://causeloop.test/event-types/{type.Name}"));
                using var example = JsonDocument.Parse(type.Example);
                var result = schema.Evaluate(example.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
                Assert.That(result.IsValid, Is.True, $"{type.Name}: {JsonSerializer.Serialize(result)}");
            }
        });
    }

    [Test]
    public void A_schema_refuses_data_that_is_not_its_type()
    {
        // The schemas are not vacuous: a webhook.test without its webhook id, or a disabled endpoint with an unknown reason, fails.
        var options = new EvaluationOptions { RequireFormatValidation = true };
        JsonSchema Schema(EventType type) => JsonSchema.FromText(type.Schema, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://causeloop.test/refuse/{type.Name}"));
        using var noWebhook = JsonDocument.Parse("""{"message":"hi"}""");
        using var badReason = JsonDocument.Parse(EventType.EndpointDisabled.Example.Replace("\"gone\"", "\"bored\"", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(Schema(EventType.WebhookTest).Evaluate(noWebhook.RootElement, options).IsValid, Is.False);
            Assert.That(Schema(EventType.EndpointDisabled).Evaluate(badReason.RootElement, options).IsValid, Is.False);
        });
    }

    [Test]
    public async Task The_api_serves_each_type_with_its_description_example_and_schema()
    {
        var tenant = await Host.NewTenantAsync();
        var types = (await (await tenant.Http.GetAsync("/v1/event-types")).OkAsync())["data"]!.AsArray();
        Assert.That(types.Select(t => t!["name"]!.GetValue<string>()), Is.EqualTo(EventType.Catalog.Select(t => t.Name)));
        Assert.Multiple(() =>
        {
            foreach (var served in types)
            {
                var type = EventType.Catalog.Single(t => t.Name == served!["name"]!.GetValue<string>());
                Assert.That(served!["description"]!.GetValue<string>(), Is.EqualTo(type.Description));
                Assert.That(JsonSerializer.Serialize(JsonDocument.Parse(served["schema"]!.ToJsonString()).RootElement), Is.EqualTo(JsonSerializer.Serialize(JsonDocument.Parse(type.Schema).RootElement)));
                Assert.That(served["example"], Is.Not.Null);
            }
        });
    }

    [Test]
    public async Task An_example_event_of_a_chosen_type_goes_to_that_webhook_alone_with_the_catalogs_example()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        await using var bystander = await Receiver.StartAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["pattern.detected"]""");
        await tenant.SubscribeAsync(bystander, """["*"]""");

        var sent = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhookId}/test", """{"event_type":"sync.completed"}""")).OkAsync(HttpStatusCode.Accepted);
        var request = (await receiver.WaitForAsync(1)).Single();
        using var envelope = JsonDocument.Parse(request.Body);
        using var example = JsonDocument.Parse(EventType.SyncCompleted.Example);
        await Host.WaitForFanOutAsync(sent.Id());
        Assert.Multiple(async () =>
        {
            Assert.That(envelope.RootElement.GetProperty("type").GetString(), Is.EqualTo("sync.completed"));
            Assert.That(envelope.RootElement.GetProperty("id").GetString(), Is.EqualTo(sent.Id()));
            Assert.That(JsonSerializer.Serialize(envelope.RootElement.GetProperty("data")), Is.EqualTo(JsonSerializer.Serialize(example.RootElement)));
            Assert.That(bystander.Received, Is.Empty, "to that webhook alone");
            var problem = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhookId}/test", """{"event_type":"nope.happened"}""")).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.That(problem["errors"]!["event_type"], Is.Not.Null);
        });
    }
}
