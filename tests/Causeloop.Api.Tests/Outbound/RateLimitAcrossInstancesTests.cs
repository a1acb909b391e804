using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>
/// §17 with two workers on one database: the webhook's bucket is one, on the database's clock, so together they start no
/// more than one instance alone would; and ordering keys (§15) live within it.
/// </summary>
public sealed class RateLimitAcrossInstancesTests
{
    private string _database = null!;

    [SetUp]
    public async Task CreateDatabase() => _database = await TestPostgres.CreateDatabaseAsync();

    [TearDown]
    public async Task DropDatabase() => await TestPostgres.DropDatabaseAsync(_database);

    [Test]
    public async Task Two_workers_together_keep_one_webhooks_rate_limit_with_keyed_and_unkeyed_events()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var first = await ServiceHost.StartAsync(_database);
        await using var second = await ServiceHost.StartAsync(_database);
        var tenant = await first.NewTenantAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["sync.completed"]""");
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"rate_limit":20}""")).OkAsync();

        // 60 events without a key, then 40 over 4 keys, published through both instances.
        const int count = 100;
        using var other = second.Client(tenant.ApiKey);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var key = i >= 60 ? $"\"key-{i % 4}\"" : "null";
            var http = i % 2 == 0 ? tenant.Http : other;
            await (await http.PostJsonAsync("/v1/events", $$"""{"type":"sync.completed","data":{"n":{{i}}},"ordering_key":{{key}}}""")).OkAsync(HttpStatusCode.Accepted);
        }));
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received.Count >= count), "every event arrived", TimeSpan.FromSeconds(60));

        RateLimitArrivals.AssertWithin(receiver.Received.Select(r => r.At).ToList(), rate: 20, count);
    }
}
