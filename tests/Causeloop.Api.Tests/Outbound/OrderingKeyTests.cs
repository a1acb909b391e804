using System.Net;
using System.Text.Json;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>
/// §15: for one webhook, the events of a key are attempted one at a time in the order they were accepted; a delivery
/// waiting for its retry holds back its own key and nothing else.
/// </summary>
public sealed class OrderingKeyTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:01",
        ["Causeloop:Delivery:RetryJitter"] = "0",
    };

    [Test]
    public async Task A_keys_events_go_one_at_a_time_in_order_and_its_retry_holds_back_only_that_key()
    {
        await using var receiver = await Receiver.StartAsync();
        var failedFirst = 0;
        receiver.Respond = (request, _) =>
            Task.FromResult(N(request) == 1 && Interlocked.Exchange(ref failedFirst, 1) == 0 ? Results.StatusCode(500) : Results.NoContent());
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["sync.completed"]""");

        // Accepted one after the other: A1 A2 A3, B4 B5, 6 without a key, B7. A1's first attempt fails (retried after 1 s).
        (string? Key, int N)[] events = [("A", 1), ("A", 2), ("A", 3), ("B", 4), ("B", 5), (null, 6), ("B", 7)];
        foreach (var (key, n) in events)
        {
            await (await tenant.Http.PostJsonAsync("/v1/events", JsonSerializer.Serialize(new { type = "sync.completed", data = new { n }, ordering_key = key }))).OkAsync(HttpStatusCode.Accepted);
        }

        await Eventually.HoldsAsync(
            async () => await Host.ScalarAsync<long>("select count(*) from deliveries where webhook_id = @id and status = 'succeeded'", new { id = Guid.Parse(webhookId) }) == events.Length,
            "every delivery succeeded");
        var requests = receiver.Received.ToArray();
        DateTimeOffset FirstRequest(int n) => requests.First(r => N(r) == n).At;
        DateTimeOffset Success(int n) => requests.Last(r => N(r) == n).At;
        Assert.Multiple(() =>
        {
            Assert.That(requests.Count(r => N(r) == 1), Is.EqualTo(2), "A1 failed once, then succeeded");
            Assert.That(FirstRequest(2), Is.GreaterThan(Success(1)), "A2 was not attempted before A1 had succeeded");
            Assert.That(FirstRequest(3), Is.GreaterThan(Success(2)), "A3 after A2");
            Assert.That(FirstRequest(5), Is.GreaterThan(Success(4)), "B5 after B4");
            Assert.That(FirstRequest(7), Is.GreaterThan(Success(5)), "B7 after B5");
            Assert.That(Success(7), Is.LessThan(Success(1)), "key B went on while A waited for its retry");
            Assert.That(Success(6), Is.LessThan(Success(1)), "an event without a key went on while A waited");
            Assert.That(requests.Where(r => N(r) is 1 or 2 or 3).Select(r => r.Header("x-causeloop-ordering-key")), Is.All.EqualTo("A"));
            Assert.That(requests.Single(r => N(r) == 6).Headers.ContainsKey("x-causeloop-ordering-key"), Is.False);
        });
    }

    [Test]
    public async Task Deliveries_show_their_ordering_key()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["sync.completed"]""");
        await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{},"ordering_key":"order-42"}""")).OkAsync(HttpStatusCode.Accepted);
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        var listed = await tenant.DeliveriesAsync(webhookId);
        Assert.Multiple(() =>
        {
            Assert.That(delivery["ordering_key"]!.GetValue<string>(), Is.EqualTo("order-42"));
            Assert.That(listed[0]!["ordering_key"]!.GetValue<string>(), Is.EqualTo("order-42"));
        });
    }

    [Test]
    public async Task An_inbound_stripe_event_is_keyed_by_its_object()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        await tenant.SubscribeAsync(receiver, """["issue.ingested"]""");
        var (connectorId, webhook) = await tenant.Http.CreateInboundConnectorAsync("stripe");
        const string body = """{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_42"}}}""";
        var headers = await ProviderSource.SignAsync("stripe", webhook.SigningSecret(), body);
        using var source = Host.Client();
        await (await ProviderSource.SendAsync(source, connectorId, body, headers)).OkAsync(HttpStatusCode.Accepted);
        var delivered = await receiver.WaitForAsync(1);
        Assert.That(delivered[0].Header("x-causeloop-ordering-key"), Is.EqualTo("pi_42"));
    }

    [Test]
    public async Task Redeliveries_are_outside_the_order_one_goes_while_an_earlier_one_of_its_key_is_in_flight()
    {
        await using var receiver = await Receiver.StartAsync();
        var healed = false;
        var release = new TaskCompletionSource();
        receiver.Respond = async (request, _) =>
        {
            if (N(request) == 1)
            {
                if (!Volatile.Read(ref healed))
                {
                    return Results.StatusCode(500); // A1 fails until it is dead
                }

                await release.Task; // then its redelivery stays in flight
            }

            return Results.NoContent();
        };
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["sync.completed"]""");
        try
        {
            await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{"n":1},"ordering_key":"A"}""")).OkAsync(HttpStatusCode.Accepted);
            await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{"n":2},"ordering_key":"A"}""")).OkAsync(HttpStatusCode.Accepted);
            var dead = await tenant.WaitForDeliveryAsync(webhookId, "dead");
            var succeeded = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
            Volatile.Write(ref healed, true);

            await (await tenant.Http.PostAsync($"/v1/webhooks/{webhookId}/deliveries/{dead.Id()}/redeliver", null)).OkAsync(HttpStatusCode.Accepted);
            await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received.Count(r => N(r) == 1) == 3), "A1's redelivery is in flight");
            await (await tenant.Http.PostAsync($"/v1/webhooks/{webhookId}/deliveries/{succeeded.Id()}/redeliver", null)).OkAsync(HttpStatusCode.Accepted);

            await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received.Count(r => N(r) == 2) == 2), "A2's redelivery arrived while A1's was in flight");
            Assert.That(receiver.Received.Last(r => N(r) == 2).Header("x-causeloop-ordering-key"), Is.EqualTo("A"), "it still says which object it is about");
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [TestCase("\"\"")]
    [TestCase("\"tab\\there\"")]
    [TestCase("12")]
    public async Task An_ordering_key_that_is_not_1_to_200_printable_characters_is_400(string key)
    {
        var tenant = await Host.NewTenantAsync();
        var problem = await (await tenant.Http.PostJsonAsync("/v1/events", $$"""{"type":"sync.completed","data":{},"ordering_key":{{key}}}""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ToJsonString(), Does.Contain("ordering_key"));
        var tooLong = await (await tenant.Http.PostJsonAsync("/v1/events", $$"""{"type":"sync.completed","data":{},"ordering_key":"{{new string('k', 201)}}"}""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(tooLong["errors"]!["ordering_key"], Is.Not.Null);
    }

    private static int N(Receiver.Request request) => JsonDocument.Parse(request.Body).RootElement.GetProperty("data").GetProperty("n").GetInt32();
}
