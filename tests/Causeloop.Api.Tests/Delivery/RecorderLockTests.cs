using System.Text;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Domain.Deliveries;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Causeloop.Api.Tests.Delivery;

/// <summary>
/// Two recorders (two instances) recording failed attempts of one webhook at the same moment: the webhook's health is
/// read under its row lock, so the second sees the first's failure and the once-per-streak alert is sent once.
/// </summary>
public sealed class RecorderLockTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:FailingAlertAfter"] = "1",
    };

    [Test]
    public async Task Two_recorders_at_once_send_endpoint_failing_once_and_count_both_failures()
    {
        var tenant = await Host.NewTenantAsync();
        var workspace = await Host.ScalarAsync<Guid>("select id from workspaces where name = @name", new { name = tenant.Workspace });
        var webhook = Guid.Parse((await tenant.Http.CreateOutboundAsync("https://example.com/locks", """["sync.completed"]"""))["id"]!.GetValue<string>());
        var attempts = new List<FinishedAttempt>();
        for (var i = 0; i < 2; i++)
        {
            // As a worker leaves them: leased (far from expiry, so no worker here takes them), attempt under way.
            var eventId = Guid.CreateVersion7();
            var delivery = new ClaimedDelivery
            {
                Id = Guid.CreateVersion7(), WorkspaceId = workspace, WebhookId = webhook, EventId = eventId, EventType = "sync.completed",
                Attempt = 1, LeaseToken = Guid.NewGuid(), Url = "https://example.com/locks", Body = Encoding.UTF8.GetBytes("{}"),
            };
            await Host.ExecuteAsync(
                """
                insert into events (id, workspace_id, type, body, created_at) values (@EventId, @WorkspaceId, 'sync.completed', '\x7b7d', now());
                insert into deliveries (id, workspace_id, webhook_id, event_id, status, attempt_count, next_attempt_at, locked_until, lease_token, created_at, updated_at)
                values (@Id, @WorkspaceId, @WebhookId, @EventId, 'in_flight', 1, now(), now() + interval '1 hour', @LeaseToken, now(), now());
                """, delivery);
            attempts.Add(new FinishedAttempt(delivery, new AttemptRecord(DateTime.UtcNow.AddMilliseconds(i), 5, new AttemptResult(500, null), "boom")));
        }

        var recorder = Host.Services.GetRequiredService<RecordAttempts>();
        await using (var holder = new NpgsqlConnection(Host.ConnectionString))
        {
            await holder.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand("select 1 from webhooks where id = @id for update", holder, transaction))
            {
                hold.Parameters.AddWithValue("id", webhook);
                await hold.ExecuteScalarAsync();
            }

            // Both recorders start while the row is held, and wait for it.
            var recordings = attempts.Select(a => Task.Run(() => recorder.RecordAsync([a], CancellationToken.None))).ToArray();
            await Eventually.HoldsAsync(
                async () => await Host.ScalarAsync<long>(
                    "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'") >= 2,
                "both recorders wait for the webhook's row");
            await transaction.CommitAsync();
            await Task.WhenAll(recordings);
        }

        var failing = await Host.ScalarAsync<long>(
            "select count(*) from events where subject_webhook_id = @webhook and type = @type", new { webhook, type = EndpointAlerts.Failing });
        var failures = await Host.ScalarAsync<int>("select consecutive_failures from webhooks where id = @webhook", new { webhook });
        Assert.Multiple(() =>
        {
            Assert.That(failing, Is.EqualTo(1), "endpoint.failing once per streak, across recorders");
            Assert.That(failures, Is.EqualTo(2), "neither failure overwrote the other");
        });
    }
}
