using System.Net;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>Deleting a webhook finishes every delivery of it that is not finished, whatever state a crash left it in.</summary>
public sealed class DeletedWebhookTests : ApiTest
{
    [Test]
    public async Task A_delivery_a_dead_worker_left_in_flight_is_cancelled_when_its_webhook_is_deleted()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["sync.completed"]""");
        await tenant.PublishAsync();
        await receiver.WaitForAsync(1);
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");

        // As a worker that died mid-attempt leaves it: in flight, its lease long expired.
        var stranded = Guid.NewGuid();
        await Host.ExecuteAsync(
            """
            insert into deliveries (id, workspace_id, webhook_id, event_id, status, attempt_count, next_attempt_at, locked_until, lease_token, created_at, updated_at)
            select @stranded, workspace_id, webhook_id, event_id, 'in_flight', 1, now() - interval '1 hour', now() - interval '50 minutes', gen_random_uuid(), now(), now()
            from deliveries where id = @delivery
            """,
            new { stranded, delivery = Guid.Parse(delivery["id"]!.GetValue<string>()) });

        Assert.That((await tenant.Http.DeleteAsync($"/v1/webhooks/{webhookId}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        // The live worker may claim it first (its lease had expired): then its recorder cancels it once the attempt ends.
        (string Status, Guid? LeaseToken) row = default;
        await Eventually.HoldsAsync(
            async () =>
            {
                row = (await Host.QueryAsync<(string Status, Guid? LeaseToken)>("select status, lease_token from deliveries where id = @stranded", new { stranded })).Single();
                return row.Status != "in_flight";
            },
            "the stranded delivery is finished");
        Assert.Multiple(() =>
        {
            Assert.That(row.Status, Is.EqualTo("cancelled"), "nothing would ever claim it again");
            Assert.That(row.LeaseToken, Is.Null);
        });
    }
}
