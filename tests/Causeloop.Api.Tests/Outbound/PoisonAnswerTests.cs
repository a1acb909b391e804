using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>
/// One tenant's endpoint answers with bytes Postgres cannot store as text (a NUL in the status line): its attempts are
/// recorded as failed attempts with their error, and the batch they are recorded in, with other tenants' attempts, is
/// never lost for it — no other tenant's endpoint gets an event twice.
/// </summary>
public sealed class PoisonAnswerTests : ApiTest
{
    private const int Events = 30;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:AttemptTimeout"] = "00:00:02",
        ["Causeloop:Delivery:LeaseMargin"] = "00:00:01",
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.200",
        ["Causeloop:Delivery:RetryDelays:1"] = "00:00:00.200",
    };

    [Test]
    public async Task A_receiver_answering_a_NUL_in_its_status_line_fails_alone_and_costs_no_one_a_duplicate()
    {
        await using var poison = RawReceiver.Answering("HTTP/1.1 200\0\r\nContent-Length: 0\r\n\r\n");
        await using var normal = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var other = await Host.NewTenantAsync();
        var poisoned = await tenant.Http.CreateOutboundAsync(poison.Url.ToString(), """["sync.completed"]""");
        var (normalId, _) = await other.SubscribeAsync(normal, """["sync.completed"]""");
        var (sameTenantId, _) = await tenant.SubscribeAsync(normal, """["sync.completed"]""", path: "/same-tenant");

        var published = new List<string>();
        for (var i = 0; i < Events; i++)
        {
            published.Add(await tenant.PublishAsync(data: $$"""{"n":{{i}}}"""));
            published.Add(await other.PublishAsync(data: $$"""{"n":{{i}}}"""));
        }

        // Every poison delivery ends dead after its three attempts, each recorded as a failure with its error.
        await Eventually.HoldsAsync(
            async () => await Host.ScalarAsync<long>(
                "select count(*) from deliveries where webhook_id = @id and status = 'dead'", new { id = Guid.Parse(poisoned.Id()) }) == Events,
            "every delivery to the poison receiver is dead", TimeSpan.FromSeconds(60), () => string.Join(Environment.NewLine, Host.Logs.Entries.Take(3)));
        await Eventually.HoldsAsync(
            async () => await Host.ScalarAsync<long>(
                "select count(*) from deliveries where webhook_id = any(@ids) and status = 'succeeded'",
                new { ids = new[] { Guid.Parse(normalId), Guid.Parse(sameTenantId) } }) == 2 * Events,
            "every delivery to the normal receivers succeeded", TimeSpan.FromSeconds(30));

        var attempts = await Host.QueryAsync<(int? StatusCode, string? Error)>(
            "select a.status_code, a.error from delivery_attempts a join deliveries d on d.id = a.delivery_id where d.webhook_id = @id",
            new { id = Guid.Parse(poisoned.Id()) });
        var received = normal.Received.GroupBy(r => (r.Path, r.Header("x-causeloop-event-id"))).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(attempts, Has.Count.EqualTo(3 * Events), "three attempts per poison delivery, each recorded");
            Assert.That(attempts.Select(a => a.StatusCode), Is.All.Null);
            Assert.That(attempts.Select(a => a.Error), Is.All.Contains("invalid status line"));
            Assert.That(attempts.Select(a => a.Error), Is.All.Not.Contains("\0"));
            Assert.That(received, Has.Length.EqualTo(2 * Events), "every event reached both normal webhooks");
            Assert.That(received.Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, "no event reached a normal webhook twice");
        });
    }
}
