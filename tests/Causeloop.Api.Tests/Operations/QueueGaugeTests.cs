using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Infrastructure.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Causeloop.Api.Tests.Operations;

/// <summary>
/// <c>causeloop_delivery_oldest_pending_age_seconds</c> counts what the worker should have picked up and has not: a due
/// delivery of an enabled webhook with nothing under way. A disabled webhook's deliveries wait by design, and a webhook
/// working through a backlog at its limit is moving, so neither makes the shipped <c>CauseloopDeliveriesStuck</c> alert
/// fire forever. No worker runs in this fixture, so the rows stay as the test puts them.
/// </summary>
public sealed class QueueGaugeTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Causeloop:Delivery:Enabled"] = "false" };

    [Test]
    public async Task The_oldest_pending_age_counts_only_enabled_webhooks_with_nothing_under_way()
    {
        var tenant = await Host.NewTenantAsync();
        var disabled = await WebhookWithDeliveriesAsync(tenant, "disabled", ("pending", 600, false));
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{disabled}", """{"enabled":false}""")).OkAsync();
        await WebhookWithDeliveriesAsync(tenant, "busy", ("pending", 300, false), ("in_flight", 1, true));
        var gauges = Host.Services.GetServices<IHostedService>().OfType<QueueGauges>().Single();

        var moving = await gauges.SampleAsync(CancellationToken.None);
        await WebhookWithDeliveriesAsync(tenant, "stuck", ("failed", 120, false));
        var stuck = await gauges.SampleAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(moving.OldestPendingAgeSeconds, Is.Zero, "a disabled webhook and a webhook with an attempt under way are not stuck");
            Assert.That(stuck.OldestPendingAgeSeconds, Is.EqualTo(120).Within(30), "an enabled webhook's due retry with nothing under way is");
            Assert.That(stuck.Pending, Is.EqualTo(4), "every unfinished delivery still counts as pending");
        });
    }

    /// <summary>A webhook with deliveries in the given states, due the given seconds ago (in flight: with a live lease or not).</summary>
    private async Task<Guid> WebhookWithDeliveriesAsync(Tenant tenant, string name, params (string Status, int DueSecondsAgo, bool Leased)[] deliveries)
    {
        var webhook = Guid.Parse((await tenant.Http.CreateOutboundAsync($"https://example.com/{name}", """["sync.completed"]"""))["id"]!.GetValue<string>());
        foreach (var (status, ago, leased) in deliveries)
        {
            await Host.ExecuteAsync(
                """
                with e as (
                    insert into events (id, workspace_id, type, body, created_at)
                    select gen_random_uuid(), workspace_id, 'sync.completed', '\x7b7d', now() from webhooks where id = @webhook
                    returning id, workspace_id)
                insert into deliveries (id, workspace_id, webhook_id, event_id, status, next_attempt_at, locked_until, lease_token, created_at, updated_at)
                select gen_random_uuid(), e.workspace_id, @webhook, e.id, @status, now() - make_interval(secs => @ago),
                       case when @leased then now() + interval '1 hour' end, case when @leased then gen_random_uuid() end, now(), now()
                from e
                """, new { webhook, status, ago, leased });
        }

        return webhook;
    }
}
