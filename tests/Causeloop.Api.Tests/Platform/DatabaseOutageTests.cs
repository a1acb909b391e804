using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Npgsql;

namespace Causeloop.Api.Tests.Platform;

/// <summary>The service reaches Postgres through a relay that the test cuts, as an outage would.</summary>
public sealed class DatabaseOutageTests
{
    [Test]
    public async Task While_the_database_is_unreachable_the_api_answers_503_not_500_and_stores_nothing()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var target = new NpgsqlConnectionStringBuilder(database);
        await using var proxy = new TcpProxy(target.Host!, target.Port);
        proxy.Start();
        var viaProxy = new NpgsqlConnectionStringBuilder(database) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;
        var host = await ServiceHost.StartAsync(viaProxy);
        try
        {
            var tenant = await host.NewTenantAsync();
            await tenant.Http.CreateOutboundAsync();

            proxy.Stop();
            NpgsqlConnection.ClearAllPools();

            var list = await tenant.Http.GetAsync("/v1/webhooks");
            var create = await tenant.Http.PostJsonAsync("/v1/webhooks", """{"url":"https://example.com/h","event_types":["*"]}""");
            using var anonymous = host.Client();
            var ready = await anonymous.GetAsync("/health/ready");
            var live = await anonymous.GetAsync("/health/live");

            await list.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            await create.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Multiple(() =>
            {
                Assert.That(list.Headers.RetryAfter, Is.Not.Null);
                Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            });

            await using var direct = new NpgsqlConnection(database);
            await direct.OpenAsync();
            await using var count = new NpgsqlCommand("select count(*) from webhooks", direct);
            Assert.That((long)(await count.ExecuteScalarAsync())!, Is.EqualTo(1), "the refused create left nothing behind");
        }
        finally
        {
            await host.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(database);
        }
    }
}
