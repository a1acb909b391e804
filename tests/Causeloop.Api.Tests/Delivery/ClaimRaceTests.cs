using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Deliveries;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Causeloop.Api.Tests.Delivery;

/// <summary>
/// A claim racing a delete of the webhook (which cancels its deliveries): a delivery cancelled after the claim read it is
/// never leased, because the claim checks again under each row's lock. Round after round, claims and cancels start
/// together; after both, nothing is left in flight.
/// </summary>
public sealed class ClaimRaceTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Causeloop:Delivery:Enabled"] = "false" };

    [Test]
    public async Task A_delivery_cancelled_while_a_claim_runs_is_never_leased()
    {
        var tenant = await Host.NewTenantAsync();
        var workspace = await Host.ScalarAsync<Guid>("select id from workspaces where name = @name", new { name = tenant.Workspace });
        var webhook = Guid.Parse((await tenant.Http.CreateOutboundAsync("https://example.com/race", """["sync.completed"]"""))["id"]!.GetValue<string>());
        var eventId = Guid.CreateVersion7();
        await Host.ExecuteAsync("insert into events (id, workspace_id, type, body, created_at) values (@eventId, @workspace, 'sync.completed', '\\x7b7d', now())", new { eventId, workspace });
        var claims = Host.Services.GetRequiredService<ClaimStore>();
        var leftInFlight = 0;
        for (var round = 0; round < 300; round++)
        {
            await Host.ExecuteAsync(
                """
                delete from deliveries where webhook_id = @webhook;
                insert into deliveries (id, workspace_id, webhook_id, event_id, status, next_attempt_at, created_at, updated_at)
                select gen_random_uuid(), @workspace, @webhook, @eventId, 'pending', now() - interval '1 minute', now(), now() from generate_series(1, 20);
                """, new { webhook, workspace, eventId });
            using var start = new Barrier(2);
            var claim = Task.Run(async () =>
            {
                start.SignalAndWait();
                await claims.ClaimAsync(new ClaimRequest(DateTime.UtcNow, 100, 100, EndpointLimits.None, TimeSpan.FromMinutes(5)), CancellationToken.None);
            });
            var cancel = Task.Run(async () =>
            {
                await using var connection = new NpgsqlConnection(Host.ConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(
                    "update deliveries set status = 'cancelled', locked_until = null, lease_token = null where webhook_id = @webhook and status in ('pending', 'failed', 'in_flight')", connection);
                command.Parameters.AddWithValue("webhook", webhook);
                start.SignalAndWait();
                await command.ExecuteNonQueryAsync();
            });
            await Task.WhenAll(claim, cancel);
            leftInFlight += await Host.ScalarAsync<int>("select count(*)::int from deliveries where webhook_id = @webhook and status = 'in_flight'", new { webhook });
        }

        Assert.That(leftInFlight, Is.Zero, "a cancelled delivery was leased again after its cancel committed");
    }
}
