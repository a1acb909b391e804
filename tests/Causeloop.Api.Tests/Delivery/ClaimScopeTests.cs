using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Domain.Deliveries;
using Causeloop.Infrastructure.Deliveries;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Causeloop.Api.Tests.Delivery;

/// <summary>
/// Which webhooks a claim visits (<see cref="DeliverySql.ActiveWebhooks"/>). It skips webhooks whose deliveries only wait
/// for a retry later, so retries due tomorrow cost a claim nothing; and it still visits every webhook with a due delivery,
/// in every status, schedule and lease, whatever waits at other webhooks. The worker is off: the rows are written here.
/// </summary>
public sealed class ClaimScopeTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Causeloop:Delivery:Enabled"] = "false" };

    private Guid _workspace;
    private Guid _event;
    private Guid _target;
    private Guid _elsewhere;
    private Guid _fresh;

    [OneTimeSetUp]
    public async Task CreateWebhooks()
    {
        var tenant = await Host.NewTenantAsync();
        _workspace = await Host.ScalarAsync<Guid>("select id from workspaces where name = @name", new { name = tenant.Workspace });
        async Task<Guid> Webhook(string name) =>
            Guid.Parse((await tenant.Http.CreateOutboundAsync($"https://example.com/{name}", """["sync.completed"]"""))["id"]!.GetValue<string>());
        _target = await Webhook("target");
        _elsewhere = await Webhook("elsewhere");
        _fresh = await Webhook("fresh");
        _event = Guid.CreateVersion7();
        await Host.ExecuteAsync(
            "insert into events (id, workspace_id, type, body, created_at) values (@id, @workspace, 'sync.completed', '\\x7b7d', now())",
            new { id = _event, workspace = _workspace });
    }

    [Test]
    public async Task Every_webhook_with_a_due_delivery_is_visited_whatever_waits_elsewhere()
    {
        await using var connection = new NpgsqlConnection(Host.ConnectionString);
        await connection.OpenAsync();
        var now = DateTime.UtcNow;
        var dbNow = await Scalar<DateTime>(connection, "select now()");
        DateTime?[] schedules = [null, now.AddMinutes(-1), now.AddMinutes(1)];
        DateTime?[] leases = [null, dbNow.AddMinutes(-1), dbNow.AddMinutes(1)];
        string?[] retriesElsewhere = [null, "due now", "due tomorrow"];
        var visitedWhenDue = 0;
        foreach (var status in DeliveryStatus.All)
        {
            foreach (var next in schedules)
            {
                foreach (var lockedUntil in leases)
                {
                    foreach (var elsewhere in retriesElsewhere)
                    {
                        await Host.ExecuteAsync("delete from deliveries");
                        await Insert(_target, status, next, lockedUntil);
                        if (elsewhere is not null)
                        {
                            await Insert(_elsewhere, DeliveryStatus.Failed, elsewhere == "due now" ? now.AddMinutes(-5) : now.AddDays(1), null);
                        }

                        var visited = await ActiveAsync(connection, now);
                        var due = Causeloop.Domain.Deliveries.Delivery.IsDue(
                            status, next is null ? null : new DateTimeOffset(next.Value), lockedUntil is null || lockedUntil < dbNow, now);
                        var what = $"{status}, next attempt {next?.ToString("O") ?? "none"}, lease {lockedUntil?.ToString("O") ?? "none"}, retry elsewhere {elsewhere ?? "none"}";
                        if (due)
                        {
                            Assert.That(visited, Does.Contain(_target), $"a due delivery's webhook was not visited: {what}");
                            visitedWhenDue++;
                        }

                        if (elsewhere == "due now")
                        {
                            Assert.That(visited, Does.Contain(_elsewhere), $"a due retry's webhook was not visited: {what}");
                        }
                    }
                }
            }
        }

        Assert.That(visitedWhenDue, Is.GreaterThan(0));
    }

    [Test]
    public async Task Retries_waiting_for_later_are_not_visited_while_no_retry_is_due()
    {
        await using var connection = new NpgsqlConnection(Host.ConnectionString);
        await connection.OpenAsync();
        var now = DateTime.UtcNow;
        await Host.ExecuteAsync("delete from deliveries");
        await Insert(_target, DeliveryStatus.Failed, now.AddDays(1), null);
        await Insert(_elsewhere, DeliveryStatus.Failed, now.AddHours(1), null);
        await Insert(_fresh, DeliveryStatus.Pending, now.AddSeconds(-1), null);

        Assert.That(await ActiveAsync(connection, now), Is.EquivalentTo(new[] { _fresh }),
            "only the webhook with a new delivery is visited; retries due later are not");

        // Once one retry is due, webhooks are visited whatever their deliveries wait for, and the claim takes what is due.
        await Insert(_elsewhere, DeliveryStatus.Failed, now.AddMinutes(-1), null);
        Assert.That(await ActiveAsync(connection, now), Is.SupersetOf(new[] { _fresh, _elsewhere }));
        var claimed = await Host.Services.GetRequiredService<ClaimStore>().ClaimAsync(
            new ClaimRequest(now, 100, 10, EndpointLimits.None, TimeSpan.FromMinutes(5)), CancellationToken.None);
        Assert.That(claimed.Select(c => c.WebhookId), Is.EquivalentTo(new[] { _fresh, _elsewhere }), "the new delivery and the due retry, not tomorrow's");
    }

    private static async Task<List<Guid>> ActiveAsync(NpgsqlConnection connection, DateTime now)
    {
        await using var command = new NpgsqlCommand($"{DeliverySql.ActiveWebhooks} select webhook_id from active where webhook_id is not null", connection);
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = now });
        command.Parameters.Add(new NpgsqlParameter<Guid>("from", Guid.Empty));
        var visited = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            visited.Add(reader.GetGuid(0));
        }

        return visited;
    }

    private Task Insert(Guid webhook, string status, DateTime? next, DateTime? lockedUntil) =>
        Host.ExecuteAsync(
            """
            insert into deliveries (id, workspace_id, webhook_id, event_id, status, next_attempt_at, locked_until, created_at, updated_at)
            values (gen_random_uuid(), @workspace, @webhook, @event, @status, @next, @lockedUntil, now(), now())
            """,
            new { workspace = _workspace, webhook, @event = _event, status, next, lockedUntil });

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
