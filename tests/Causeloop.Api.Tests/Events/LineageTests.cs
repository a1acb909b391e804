using System.Net;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Events;

/// <summary>
/// Lineage (SPEC §18): an event answers where it came from — recorded when it was written — and where it went; an inbound
/// event answers its body, its source fields and the event it caused.
/// </summary>
public sealed class LineageTests : ApiTest
{
    [Test]
    public async Task A_published_event_names_the_prefix_of_the_key_that_published_it_and_lists_its_deliveries()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["sync.completed"]""");
        var eventId = await tenant.PublishAsync(data: """{"sync":"lineage"}""");
        await tenant.WaitForDeliveryAsync(webhookId, "succeeded");

        var lineage = await (await tenant.Http.GetAsync($"/v1/events/{eventId}")).OkAsync();
        var delivery = lineage["deliveries"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(lineage["id"]!.GetValue<string>(), Is.EqualTo(eventId));
            Assert.That(lineage["type"]!.GetValue<string>(), Is.EqualTo("sync.completed"));
            Assert.That(lineage["data"]!["sync"]!.GetValue<string>(), Is.EqualTo("lineage"));
            Assert.That(lineage["cause"]!.ToJsonString(), Is.EqualTo($$"""{"kind":"api","api_key_prefix":"{{tenant.ApiKey[..10]}}"}"""));
            Assert.That(delivery["webhook_id"]!.GetValue<string>(), Is.EqualTo(webhookId));
            Assert.That(delivery["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
            Assert.That(delivery["attempts"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(delivery["last_status_code"]!.GetValue<int>(), Is.EqualTo(204));
            Assert.That(delivery["delivery_id"]!.GetValue<string>(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task An_inbound_event_leads_to_the_event_it_caused_and_that_event_back_to_it()
    {
        var source = await SignedSource.CreateAsync(Host);
        var accepted = await SignedSource.AcceptedAsync(await source.SendAsync(Host.Client(), """{"issue":"CL-7"}""", eventId: "evt-lineage"));

        var inbound = await (await source.Tenant.Http.GetAsync($"/v1/connectors/{source.ConnectorId}/events/{accepted.Id()}")).OkAsync();
        var causedId = inbound["caused_event_id"]!.GetValue<string>();
        var caused = await (await source.Tenant.Http.GetAsync($"/v1/events/{causedId}")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(inbound["payload"]!["issue"]!.GetValue<string>(), Is.EqualTo("CL-7"));
            Assert.That(inbound["event_id"]!.GetValue<string>(), Is.EqualTo("evt-lineage"), "the sender's dedupe id, as in the list");
            Assert.That(inbound["source"]!["kind"]!.GetValue<string>(), Is.EqualTo("custom"));
            Assert.That(caused["type"]!.GetValue<string>(), Is.EqualTo("issue.ingested"));
            Assert.That(caused["data"]!["inbound_event_id"]!.GetValue<string>(), Is.EqualTo(accepted.Id()));
            Assert.That(caused["cause"]!.ToJsonString(),
                Is.EqualTo($$"""{"kind":"inbound","connector_id":"{{source.ConnectorId}}","inbound_event_id":"{{accepted.Id()}}"}"""));
        });
    }

    [Test]
    public async Task A_test_send_and_an_operational_event_say_so()
    {
        var tenant = await Host.NewTenantAsync();
        var watched = await tenant.Http.CreateOutboundAsync("https://example.com/watched", """["sync.completed"]""");
        var sent = await (await tenant.Http.PostAsync($"/v1/webhooks/{watched.Id()}/test", null)).OkAsync(HttpStatusCode.Accepted);
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{watched.Id()}", """{"enabled":false}""")).OkAsync();
        var disabled = await Host.ScalarAsync<Guid>("select id from events where subject_webhook_id = @id and type = 'endpoint.disabled'", new { id = Guid.Parse(watched.Id()) });

        var test = await (await tenant.Http.GetAsync($"/v1/events/{sent.Id()}")).OkAsync();
        var operational = await (await tenant.Http.GetAsync($"/v1/events/{disabled}")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(test["cause"]!.ToJsonString(), Is.EqualTo("""{"kind":"test"}"""));
            Assert.That(operational["cause"]!.ToJsonString(), Is.EqualTo($$"""{"kind":"operational","webhook_id":"{{watched.Id()}}"}"""));
        });
    }

    [Test]
    public async Task The_cause_is_written_in_the_insert_of_the_event_itself()
    {
        // Every writer goes through the one insert: no event row of any kind is ever without its cause.
        var tenant = await Host.NewTenantAsync();
        await tenant.PublishAsync();
        var source = await SignedSource.CreateAsync(Host, tenant);
        await SignedSource.AcceptedAsync(await source.SendAsync(Host.Client(), """{"n":1}"""));
        Assert.Multiple(async () =>
        {
            Assert.That(await Host.ScalarAsync<long>("select count(*) from events where cause_kind is null"), Is.Zero);
            Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where caused_event_id is null"), Is.Zero);
        });
    }

    [Test]
    public async Task Another_workspaces_event_and_inbound_event_are_not_found()
    {
        var source = await SignedSource.CreateAsync(Host);
        var accepted = await SignedSource.AcceptedAsync(await source.SendAsync(Host.Client(), """{"n":2}"""));
        var published = await source.Tenant.PublishAsync();
        var stranger = await Host.NewTenantAsync();
        Assert.Multiple(async () =>
        {
            Assert.That((await stranger.Http.GetAsync($"/v1/events/{published}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await stranger.Http.GetAsync($"/v1/connectors/{source.ConnectorId}/events/{accepted.Id()}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await source.Tenant.Http.GetAsync($"/v1/connectors/{source.ConnectorId}/events/{Guid.CreateVersion7()}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await source.Tenant.Http.GetAsync("/v1/events/not-a-uuid")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }
}
