using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>Correctness never depends on NOTIFY: the worker polls.</summary>
public sealed class PollingTests : ApiTest
{
    [Test]
    public async Task An_event_written_without_any_notify_is_still_delivered_by_polling()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        await tenant.SubscribeAsync(receiver);
        var workspace = await Host.ScalarAsync<Guid>("select id from workspaces where name = @name", new { name = tenant.Workspace });
        var id = Guid.CreateVersion7();
        var body = System.Text.Encoding.UTF8.GetBytes($$$"""{"id":"{{{id}}}","type":"sync.completed","created_at":"2026-11-28T00:00:00.000Z","data":{}}""");
        await Host.ExecuteAsync(
            """
            insert into events (id, workspace_id, type, body, created_at) values (@id, @workspace, 'sync.completed', @body, now());
            insert into outbox (event_id, workspace_id, created_at) values (@id, @workspace, now());
            """,
            new { id, workspace, body });
        var request = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0];
        Assert.That(request.Header("webhook-id"), Is.EqualTo(id.ToString()));
    }
}
