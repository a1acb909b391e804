using System.Net;
using Causeloop.Api.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>One deadline bounds the whole attempt: a receiver that answers its headers and then drips its body cannot hold the slot.</summary>
public sealed class SlowDripTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:AttemptTimeout"] = "00:00:02",
        ["Causeloop:Delivery:LeaseMargin"] = "00:00:01",
    };

    [Test]
    public async Task Headers_then_a_byte_a_second_ends_the_attempt_at_the_deadline_and_it_is_sent_once()
    {
        await using var receiver = await Receiver.StartAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        receiver.Respond = (_, _) => Task.FromResult(Results.Stream(async body =>
        {
            // 200 and the first byte at once, then one byte a second for far longer than the attempt may take.
            for (var i = 0; i < 30 && !stop.IsCancellationRequested; i++)
            {
                await body.WriteAsync("x"u8.ToArray(), stop.Token);
                await body.FlushAsync(stop.Token);
                await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
            }
        }, "text/plain"));
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();

        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded", TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        var attempt = delivery["attempts"]!.AsArray().Single()!;
        // Every claim counts an attempt, and a succeeded delivery is never claimed again: counted once when it succeeded,
        // it was leased once and never will be again. Had the lease lapsed while the body dripped, another claim would
        // have counted a second attempt and sent the delivery again, before this one could be recorded.
        var claims = await Host.ScalarAsync<int>("select attempt_count from deliveries where webhook_id = @id", new { id = Guid.Parse(webhookId) });
        Assert.Multiple(() =>
        {
            Assert.That(attempt["status_code"]!.GetValue<int>(), Is.EqualTo((int)HttpStatusCode.OK), "the status arrived in time and decides");
            Assert.That(attempt["duration_ms"]!.GetValue<int>(), Is.InRange(1500, 4000), "ended at the deadline, not when the body did");
            Assert.That(attempt["response_body"]!.GetValue<string>(), Does.StartWith("x"), "what came before the deadline is kept");
            Assert.That(claims, Is.EqualTo(1), "leased once: never taken again while the first attempt ran");
            Assert.That(receiver.Received, Has.Count.EqualTo(1), "sent once");
        });
    }
}
