using Causeloop.Api.Tests.Support;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Deliveries;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>
/// NOTIFY wakes a worker at once for events another instance accepted: its poll is set to 20 s, so only the NOTIFY can
/// bring an event published on the API-only instance within the 5 s the test waits.
/// </summary>
public sealed class WakeUpTests
{
    [Test]
    public async Task An_event_published_on_another_instance_is_delivered_long_before_the_next_poll()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var claims = new CountingClaims();
        try
        {
            await using var receiver = await Receiver.StartAsync();
            await using var api = await ServiceHost.StartAsync(database, new Dictionary<string, string?> { ["Causeloop:Delivery:Enabled"] = "false" });
            await using var worker = await ServiceHost.StartAsync(
                database, new Dictionary<string, string?> { ["Causeloop:Delivery:PollInterval"] = "00:00:20" },
                services => services.AddSingleton<IClaimStore>(sp => claims.Around(sp.GetRequiredService<ClaimStore>())));
            var tenant = await api.NewTenantAsync();
            var (webhookId, _) = await tenant.SubscribeAsync(receiver);

            // A first event, so that the worker is known to be idle afterwards: once its attempt is recorded, the worker
            // claims once more (a recorded attempt frees a slot) and then waits for its next 20 s poll.
            await tenant.PublishAsync();
            await tenant.WaitForDeliveryAsync(webhookId, "succeeded", TimeSpan.FromSeconds(25));
            var recordedAt = claims.Count;
            await Eventually.HoldsAsync(() => Task.FromResult(claims.Count > recordedAt), "the worker claimed after recording", TimeSpan.FromSeconds(25));

            await tenant.PublishAsync();
            await receiver.WaitForAsync(2, TimeSpan.FromSeconds(5));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }
}
