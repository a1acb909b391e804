using System.Net;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Npgsql;

namespace Causeloop.Api.Tests.Portal;

/// <summary>The portal's list pages read what they show, from bounded index ranges, however much history there is.</summary>
public sealed class PortalPageCostTests : ApiTest
{
    [Test]
    public async Task The_connectors_page_reads_excerpts_of_the_latest_events_never_their_whole_bodies()
    {
        var tenant = await Host.NewTenantAsync();
        var inbound = await SignedSource.CreateAsync(Host, tenant);
        var filler = new string('x', 64 * 1024);
        using (var source = Host.Client())
        {
            for (var i = 0; i < 12; i++)
            {
                await SignedSource.AcceptedAsync(await inbound.SendAsync(source, $$"""{"order":"head-{{i}}","blob":"{{filler}}","tail":"TAIL-MARKER-{{i}}"}""", eventId: $"big-{i}"));
            }
        }

        // A second instance of the service on the same database, reaching it through a relay that counts what it reads.
        var target = new NpgsqlConnectionStringBuilder(Host.ConnectionString);
        await using var relay = new TcpProxy(target.Host!, target.Port);
        relay.Start();
        var throughRelay = new NpgsqlConnectionStringBuilder(Host.ConnectionString) { Host = "127.0.0.1", Port = relay.Port }.ConnectionString;
        await using var instance = await ServiceHost.StartAsync(throughRelay, new Dictionary<string, string?> { ["Causeloop:Delivery:Enabled"] = "false" });
        var created = await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", "{}")).OkAsync(HttpStatusCode.Created);
        using var browser = await PortalBrowser.ExchangeAsync(instance, created);
        await browser.GetStringAsync("/portal/webhooks"); // the instance's connections are open and its statements prepared
        var before = relay.BytesFromServer;
        var page = await browser.GetStringAsync("/portal/connectors");
        var bytesRead = relay.BytesFromServer - before;
        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("big-11").And.Contain("big-2").And.Not.Contain("big-1<"), "the latest 10 events, newest first");
            Assert.That(page, Does.Contain("{&quot;order&quot;:&quot;head-11&quot;"), "an excerpt of the body as received");
            Assert.That(page, Does.Contain("65,5"), "its size in bytes");
            Assert.That(page, Does.Not.Contain("TAIL-MARKER"), "never the whole body");
            Assert.That(bytesRead, Is.GreaterThan(0), "the page's reads were measured");
            Assert.That(bytesRead, Is.LessThan(64 * 1024), "less than one stored body came from the database for the whole page");
        });
    }

    [Test]
    public async Task The_success_rate_covers_the_attempts_of_the_last_24_hours_of_each_webhook_s_latest_100_deliveries()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = Guid.Parse((await tenant.Http.CreateOutboundAsync("https://example.com/busy", """["sync.completed"]""")).Id());
        // 150 deliveries of the last hour: the 50 oldest failed, the 100 latest succeeded; and one a day old that failed.
        await Host.ExecuteAsync("""
            insert into events (id, workspace_id, type, body, created_at)
                select uuidv7(now() - interval '2 days'), workspace_id, 'sync.completed', '\x7b7d', now() - interval '2 days' from webhooks where id = @webhook;
            insert into deliveries (id, workspace_id, webhook_id, event_id, status, attempt_count, created_at, updated_at)
                select uuidv7(now() - interval '1 hour' + n * interval '1 second'), w.workspace_id, w.id, (select id from events where workspace_id = w.workspace_id),
                       case when n <= 50 then 'dead' else 'succeeded' end, 1, now() - interval '1 hour' + n * interval '1 second', now()
                from webhooks w, generate_series(1, 150) n where w.id = @webhook;
            insert into deliveries (id, workspace_id, webhook_id, event_id, status, attempt_count, created_at, updated_at)
                select uuidv7(now() - interval '30 hours'), w.workspace_id, w.id, (select id from events where workspace_id = w.workspace_id), 'dead', 1,
                       now() - interval '30 hours', now() - interval '30 hours'
                from webhooks w where w.id = @webhook;
            insert into delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, status_code)
                select d.id, 1, d.workspace_id, d.created_at, 5, case when d.status = 'succeeded' then 200 else 500 end from deliveries d where d.webhook_id = @webhook;
            """, new { webhook });

        var browser = await PortalBrowser.OpenAsync(Host, tenant, "{}");
        var page = await browser.GetStringAsync("/portal/webhooks");
        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("https://example.com/busy"));
            Assert.That(page, Does.Contain(">100 %<"), "the latest 100 deliveries' attempts all succeeded; older ones are not read");
            Assert.That(page, Does.Contain("latest 100 deliveries"), "the page says what the rate covers");
        });
    }
}
