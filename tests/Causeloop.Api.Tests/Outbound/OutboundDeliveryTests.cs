using System.Net;
using System.Text.Json;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Causeloop.Api.Tests.Outbound;

public sealed class OutboundDeliveryTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Delivery:RetryDelays:0"] = "00:00:00.300",
        ["Causeloop:Delivery:RetryDelays:1"] = "00:00:00.300",
        ["Causeloop:Delivery:RetryDelays:2"] = "00:00:00.300",
        ["Causeloop:Delivery:AttemptTimeout"] = "00:00:01.500",
    };

    [Test]
    public async Task A_published_event_arrives_signed_both_ways_with_every_header()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var (webhookId, secret) = await tenant.SubscribeAsync(receiver);
        var eventId = await tenant.PublishAsync("sync.completed", """{"sync":"42","items":3}""");

        var request = (await receiver.WaitForAsync(1))[0];
        using var envelope = JsonDocument.Parse(request.Body);
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        Assert.Multiple(() =>
        {
            Assert.That(request.Header("content-type"), Does.StartWith("application/json"));
            Assert.That(ReceiverSide.VerifiesCauseloop(secret, request.Body, request.Header("x-causeloop-signature")), Is.True);
            Assert.That(ReceiverSide.VerifiesStandard(secret, request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Body, request.Header("webhook-signature")), Is.True);
            Assert.That(request.Header("x-causeloop-event-id"), Is.EqualTo(eventId));
            Assert.That(request.Header("webhook-id"), Is.EqualTo(eventId));
            Assert.That(request.Header("x-causeloop-event-type"), Is.EqualTo("sync.completed"));
            Assert.That(request.Header("x-causeloop-delivery-id"), Is.EqualTo(delivery.Id()));
            Assert.That(request.Header("x-causeloop-attempt"), Is.EqualTo("1"));
            Assert.That(long.Parse(request.Header("webhook-timestamp"), System.Globalization.CultureInfo.InvariantCulture),
                Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Within(30));
            Assert.That(envelope.RootElement.GetProperty("id").GetString(), Is.EqualTo(eventId));
            Assert.That(envelope.RootElement.GetProperty("type").GetString(), Is.EqualTo("sync.completed"));
            Assert.That(envelope.RootElement.GetProperty("created_at").GetString(), Does.EndWith("Z"));
            Assert.That(envelope.RootElement.GetProperty("data").GetProperty("items").GetInt32(), Is.EqualTo(3));
            Assert.That(delivery["attempts"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(delivery["attempts"]![0]!["status_code"]!.GetValue<int>(), Is.EqualTo(204));
            Assert.That(delivery["event_type"]!.GetValue<string>(), Is.EqualTo("sync.completed"));
        });
    }

    [Test]
    public async Task After_rotation_both_secrets_sign_and_the_causeloop_header_uses_the_new_one()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var (webhookId, oldSecret) = await tenant.SubscribeAsync(receiver);
        var rotated = await (await tenant.Http.PostAsync($"/v1/webhooks/{webhookId}/rotate-secret", null)).OkAsync();
        var newSecret = rotated["signing_secret"]!.GetValue<string>();
        await tenant.PublishAsync();

        var request = (await receiver.WaitForAsync(1))[0];
        var signatures = request.Header("webhook-signature").Split(' ');
        Assert.Multiple(() =>
        {
            Assert.That(signatures, Has.Length.EqualTo(2));
            Assert.That(ReceiverSide.VerifiesStandard(newSecret, request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Body, request.Header("webhook-signature")), Is.True);
            Assert.That(ReceiverSide.VerifiesStandard(oldSecret, request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Body, request.Header("webhook-signature")), Is.True);
            Assert.That(ReceiverSide.VerifiesCauseloop(newSecret, request.Body, request.Header("x-causeloop-signature")), Is.True);
            Assert.That(ReceiverSide.VerifiesCauseloop(oldSecret, request.Body, request.Header("x-causeloop-signature")), Is.False);
        });
    }

    [Test]
    public async Task A_500_then_a_200_succeeds_with_two_attempts_and_the_same_bytes()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, n) => Task.FromResult(n == 0 ? Results.Text("boom: database down", statusCode: 500) : Results.Ok());
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();

        var requests = await receiver.WaitForAsync(2);
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        var attempts = delivery["attempts"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(requests[1].Body, Is.EqualTo(requests[0].Body));
            Assert.That(requests[1].Header("webhook-id"), Is.EqualTo(requests[0].Header("webhook-id")));
            Assert.That(requests.Select(r => r.Header("x-causeloop-attempt")), Is.EqualTo(new[] { "1", "2" }));
            Assert.That(attempts.Select(a => a!["status_code"]!.GetValue<int>()), Is.EqualTo(new[] { 500, 200 }));
            Assert.That(attempts[0]!["response_body"]!.GetValue<string>(), Is.EqualTo("boom: database down"));
            Assert.That(attempts[0]!["duration_ms"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(0));
            Assert.That(delivery["attempt_count"]!.GetValue<int>(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Only_the_first_4_KiB_of_a_response_body_is_kept()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(Results.Text(new string('r', 10_000), statusCode: 200));
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        Assert.That(delivery["attempts"]![0]!["response_body"]!.GetValue<string>(), Has.Length.EqualTo(4096));
    }

    [Test]
    public async Task Every_failed_attempt_is_retried_then_the_delivery_is_dead()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(Results.StatusCode(503));
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "dead");
        Assert.Multiple(() =>
        {
            Assert.That(delivery["attempts"]!.AsArray(), Has.Count.EqualTo(4), "1 + 3 configured retries");
            Assert.That(delivery["next_attempt_at"], Is.Null);
            Assert.That(receiver.Received, Has.Count.EqualTo(4));
        });
    }

    [Test]
    public async Task Gone_ends_the_delivery_at_once_and_disables_the_webhook_with_a_reason()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(Results.StatusCode(410));
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "dead");
        var webhook = await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(delivery["attempts"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(webhook["enabled"]!.GetValue<bool>(), Is.False);
            Assert.That(webhook["disabled_reason"]!.GetValue<string>(), Does.Contain("410"));
        });

        await Host.WaitForFanOutAsync(await tenant.PublishAsync());
        Assert.Multiple(async () =>
        {
            Assert.That(await Host.DeliveryCountAsync(webhookId), Is.EqualTo(1), "a disabled webhook gets no new delivery");
            Assert.That(receiver.Received, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task An_endpoint_slower_than_the_attempt_timeout_fails_the_attempt()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = async (_, n) =>
        {
            if (n == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(4));
            }

            return Results.Ok();
        };
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        var first = delivery["attempts"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(first["status_code"], Is.Null);
            Assert.That(first["error"]!.GetValue<string>(), Does.Contain("timeout"));
            Assert.That(first["duration_ms"]!.GetValue<int>(), Is.InRange(1000, 3500));
        });
    }

    [Test]
    public async Task Redirects_are_not_followed_and_count_as_failures()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (request, _) => Task.FromResult(request.Path == "/hooks" ? Results.Redirect("/elsewhere") : Results.Ok());
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "dead");
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Received.All(r => r.Path == "/hooks"), Is.True, "nothing reached the redirect target");
            Assert.That(delivery["attempts"]![0]!["status_code"]!.GetValue<int>(), Is.EqualTo(302));
        });
    }

    [Test]
    public async Task Retry_after_on_429_is_honoured()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, n) =>
        {
            if (n > 0)
            {
                return Task.FromResult(Results.Ok());
            }

            return Task.FromResult<IResult>(new RetryAfterResult(2));
        };
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        var requests = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(15));
        Assert.That(requests[1].At - requests[0].At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1.8)), "waited for Retry-After, not the 300 ms schedule");
        await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
    }

    [Test]
    public async Task Only_enabled_webhooks_subscribed_to_the_type_receive_it()
    {
        await using var syncs = await Receiver.StartAsync();
        await using var patterns = await Receiver.StartAsync();
        await using var everything = await Receiver.StartAsync();
        await using var disabled = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var other = await Host.NewTenantAsync();
        await tenant.SubscribeAsync(syncs, "[\"sync.completed\"]");
        var (patternsId, _) = await tenant.SubscribeAsync(patterns, "[\"pattern.detected\"]");
        await tenant.SubscribeAsync(everything);
        var (offId, _) = await tenant.SubscribeAsync(disabled);
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{offId}", """{"enabled":false}""")).OkAsync();
        await using var otherWorkspace = await Receiver.StartAsync();
        var (otherId, _) = await other.SubscribeAsync(otherWorkspace);

        var eventId = await tenant.PublishAsync("sync.completed");
        await syncs.WaitForAsync(1);
        await everything.WaitForAsync(1);
        await Host.WaitForFanOutAsync(eventId);
        Assert.Multiple(async () =>
        {
            Assert.That(await Host.DeliveryCountAsync(patternsId), Is.Zero, "not subscribed to the type");
            Assert.That(await Host.DeliveryCountAsync(offId), Is.Zero, "disabled");
            Assert.That(await Host.DeliveryCountAsync(otherId), Is.Zero, "another workspace");
            Assert.That(syncs.Received, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Publishing_with_a_repeated_idempotency_key_answers_the_first_id_and_delivers_once()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        var body = """{"type":"pattern.detected","data":{"p":1},"idempotency_key":"order-7"}""";
        var first = await (await tenant.Http.PostJsonAsync("/v1/events", body)).OkAsync(HttpStatusCode.Accepted);
        var again = await (await tenant.Http.PostJsonAsync("/v1/events", body)).OkAsync(HttpStatusCode.OK);
        Assert.That(again.Id(), Is.EqualTo(first.Id()));

        // The same key in another workspace is another event.
        var other = await Host.NewTenantAsync();
        var theirs = await (await other.Http.PostJsonAsync("/v1/events", body)).OkAsync(HttpStatusCode.Accepted);
        Assert.That(theirs.Id(), Is.Not.EqualTo(first.Id()));

        await receiver.WaitForAsync(1);
        await Host.WaitForFanOutAsync(first.Id());
        Assert.That(await Host.DeliveryCountAsync(webhookId), Is.EqualTo(1), "one event, so one delivery");
    }

    [TestCase("""{"type":"no.such","data":{}}""", "type")]
    [TestCase("""{"data":{}}""", "type")]
    [TestCase("""{"type":"sync.completed"}""", "data")]
    [TestCase("""{"type":"sync.completed","data":[1]}""", "data")]
    [TestCase("""{"type":"sync.completed","data":{},"idempotency_key":""}""", "idempotency_key")]
    [TestCase("""{"type":"sync.completed","data":{},"extra":1}""", "extra")]
    public async Task Bad_events_are_400_and_nothing_is_emitted(string json, string field)
    {
        var tenant = await Host.NewTenantAsync();
        var before = await Host.ScalarAsync<long>("select count(*) from events");
        var problem = await (await tenant.Http.PostJsonAsync("/v1/events", json)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(async () =>
        {
            Assert.That(problem["errors"]!.AsObject().ContainsKey(field), Is.True, problem.ToJsonString());
            Assert.That(await Host.ScalarAsync<long>("select count(*) from events"), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Test_sends_webhook_test_to_that_webhook_alone()
    {
        await using var target = await Receiver.StartAsync();
        await using var bystander = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var (targetId, secret) = await tenant.SubscribeAsync(target, "[\"sync.completed\"]");
        var (bystanderId, _) = await tenant.SubscribeAsync(bystander);

        var accepted = await (await tenant.Http.PostAsync($"/v1/webhooks/{targetId}/test", null)).OkAsync(HttpStatusCode.Accepted);
        var request = (await target.WaitForAsync(1))[0];
        await Host.WaitForFanOutAsync(accepted.Id());
        var bystanderDeliveries = await Host.DeliveryCountAsync(bystanderId);
        using var envelope = JsonDocument.Parse(request.Body);
        Assert.Multiple(() =>
        {
            Assert.That(request.Header("x-causeloop-event-type"), Is.EqualTo("webhook.test"));
            Assert.That(request.Header("webhook-id"), Is.EqualTo(accepted.Id()));
            Assert.That(envelope.RootElement.GetProperty("data").GetProperty("webhook_id").GetString(), Is.EqualTo(targetId));
            Assert.That(ReceiverSide.VerifiesCauseloop(secret, request.Body, request.Header("x-causeloop-signature")), Is.True);
            Assert.That(bystanderDeliveries, Is.Zero, "the test event goes to its target alone");
        });
    }

    [Test]
    public async Task Deleting_a_webhook_cancels_its_pending_deliveries_and_keeps_the_log()
    {
        await using var receiver = await Receiver.StartAsync();
        var (tenant, webhookId) = await PendingDeliveryToDisabledWebhookAsync(receiver);
        await WorkerHasRunSinceAsync();
        Assert.That(receiver.Received, Is.Empty, "a disabled webhook's delivery waits");

        Assert.That((await tenant.Http.DeleteAsync($"/v1/webhooks/{webhookId}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var statuses = await Host.QueryAsync<string>("select status from deliveries where webhook_id = @id", new { id = Guid.Parse(webhookId) });
        Assert.That(statuses, Is.EqualTo(new[] { "cancelled" }));
        await WorkerHasRunSinceAsync();
        Assert.That(receiver.Received, Is.Empty, "a cancelled delivery is never sent");
    }

    [Test]
    public async Task Deliveries_to_a_disabled_webhook_wait_and_go_out_when_it_is_enabled_again()
    {
        await using var receiver = await Receiver.StartAsync();
        var (tenant, webhookId) = await PendingDeliveryToDisabledWebhookAsync(receiver);
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"enabled":true}""")).OkAsync();
        await receiver.WaitForAsync(1);
        await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
    }

    [Test]
    public async Task The_delivery_log_filters_by_status_and_redeliver_sends_the_same_event_again()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, n) => Task.FromResult(n < 4 ? Results.StatusCode(500) : Results.Ok());
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        var eventId = await tenant.PublishAsync();
        var dead = await tenant.WaitForDeliveryAsync(webhookId, "dead");

        Assert.Multiple(async () =>
        {
            Assert.That(await tenant.DeliveriesAsync(webhookId, "?status=dead"), Has.Count.EqualTo(1));
            Assert.That(await tenant.DeliveriesAsync(webhookId, "?status=succeeded"), Is.Empty);
            await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}/deliveries?status=lost")).ProblemAsync(HttpStatusCode.BadRequest);
        });

        var redelivered = await (await tenant.Http.PostAsync($"/v1/webhooks/{webhookId}/deliveries/{dead.Id()}/redeliver", null)).OkAsync(HttpStatusCode.Accepted);
        var fresh = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");
        var last = receiver.Received[^1];
        Assert.Multiple(() =>
        {
            Assert.That(fresh.Id(), Is.EqualTo(redelivered.Id()).And.Not.EqualTo(dead.Id()));
            Assert.That(fresh["event_id"]!.GetValue<string>(), Is.EqualTo(eventId));
            Assert.That(last.Header("webhook-id"), Is.EqualTo(eventId));
            Assert.That(last.Header("x-causeloop-delivery-id"), Is.EqualTo(redelivered.Id()));
            Assert.That(last.Header("x-causeloop-attempt"), Is.EqualTo("1"));
        });
    }

    [Test]
    public async Task Delivery_routes_are_isolated_by_workspace()
    {
        await using var receiver = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        var stranger = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await tenant.PublishAsync();
        var delivery = await tenant.WaitForDeliveryAsync(webhookId, "succeeded");

        await (await stranger.Http.GetAsync($"/v1/webhooks/{webhookId}/deliveries")).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.GetAsync($"/v1/webhooks/{webhookId}/deliveries/{delivery.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.PostAsync($"/v1/webhooks/{webhookId}/deliveries/{delivery.Id()}/redeliver", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}/deliveries/{Guid.CreateVersion7()}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>A disabled webhook's deliveries wait: a test send to it stays pending.</summary>
    /// <summary>
    /// Proof that the worker has claimed and sent since now: a sentinel event to another workspace's receiver
    /// arrives. Whatever was due before it and was not sent, the worker considered and passed over.
    /// </summary>
    private async Task WorkerHasRunSinceAsync()
    {
        await using var sentinel = await Receiver.StartAsync();
        var tenant = await Host.NewTenantAsync();
        await tenant.SubscribeAsync(sentinel);
        await tenant.PublishAsync();
        await sentinel.WaitForAsync(1);
    }

    private async Task<(Tenant Tenant, string WebhookId)> PendingDeliveryToDisabledWebhookAsync(Receiver receiver)
    {
        var tenant = await Host.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver);
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"enabled":false}""")).OkAsync();
        await (await tenant.Http.PostAsync($"/v1/webhooks/{webhookId}/test", null)).OkAsync(HttpStatusCode.Accepted);
        await tenant.WaitForDeliveryAsync(webhookId, "pending");
        return (tenant, webhookId);
    }

    private sealed class RetryAfterResult(int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = 429;
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }
    }
}
