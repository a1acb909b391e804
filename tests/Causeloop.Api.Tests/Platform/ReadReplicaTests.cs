using System.Diagnostics;
using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Npgsql;

namespace Causeloop.Api.Tests.Platform;

/// <summary>
/// <c>ConnectionStrings:CauseloopReadOnly</c> against a real streaming standby: the API's list and get queries read from
/// it; commands, and a get the standby cannot answer yet, use the primary; a standby that is down costs no answer.
/// </summary>
public sealed class ReadReplicaTests
{
    private StreamingStandby _pair = null!;
    private ServiceHost _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _pair = await StreamingStandby.StartAsync();
        _host = await ServiceHost.StartAsync(_pair.Primary, new Dictionary<string, string?> { ["ConnectionStrings:CauseloopReadOnly"] = _pair.Standby });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _host.DisposeAsync();
        await _pair.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task Lists_read_from_the_standby_and_a_get_it_cannot_answer_yet_is_answered_by_the_primary()
    {
        var tenant = await _host.NewTenantAsync();
        var first = (await tenant.Http.CreateOutboundAsync())["id"]!.GetValue<string>();
        await Eventually.HoldsAsync(async () => await _pair.StandbyAsync<long>("select count(*) from webhooks where id = @p", Guid.Parse(first)) == 1, "the standby has the first webhook");

        await _pair.PauseReplayAsync();
        try
        {
            // Written on the primary; the standby does not apply it while its replay is paused.
            var second = (await tenant.Http.CreateOutboundAsync())["id"]!.GetValue<string>();
            var list = await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();
            var ids = list["data"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()).ToList();
            var get = await tenant.Http.GetAsync($"/v1/webhooks/{second}");

            Assert.Multiple(() =>
            {
                Assert.That(ids, Is.EqualTo(new[] { first }), "the list came from the standby, which has not replayed the second webhook");
                Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a get the standby cannot answer is asked again of the primary");
            });
        }
        finally
        {
            await _pair.ResumeReplayAsync();
        }

        await Eventually.HoldsAsync(async () =>
            (await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync())["data"]!.AsArray().Count == 2, "the standby caught up");
    }

    [Test, Order(2)]
    public async Task The_lag_a_reader_sees_is_measured()
    {
        // From the commit on the primary (the 201) to the moment the standby answers with the row: what a reader of a list
        // may miss. Printed for docs/scaling.md.
        var tenant = await _host.NewTenantAsync();
        await using var standby = new NpgsqlConnection(_pair.Standby);
        await standby.OpenAsync();
        await using var look = new NpgsqlCommand("select count(*) from webhooks where id = @id", standby);
        var id = new NpgsqlParameter<Guid>("id", Guid.Empty);
        look.Parameters.Add(id);
        var lags = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            id.TypedValue = Guid.Parse((await tenant.Http.CreateOutboundAsync())["id"]!.GetValue<string>());
            var committed = Stopwatch.GetTimestamp();
            while ((long)(await look.ExecuteScalarAsync())! == 0)
            {
                await Task.Delay(1);
            }

            lags.Add(Stopwatch.GetElapsedTime(committed).TotalMilliseconds);
        }

        lags.Sort();
        TestContext.Out.WriteLine($"replica lag seen by a reader (ms, 20 writes): median {lags[10]:0.0}, max {lags[^1]:0.0}");
        Assert.That(lags[^1], Is.LessThan(5000), "the standby keeps up");
    }

    [Test, Order(3)]
    public async Task When_the_standby_is_down_queries_are_answered_by_the_primary()
    {
        var tenant = await _host.NewTenantAsync();
        await tenant.Http.CreateOutboundAsync();
        await _pair.StopStandbyAsync();

        var list = await tenant.Http.GetAsync("/v1/webhooks");
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await list.OkAsync())["data"]!.AsArray(), Has.Count.EqualTo(1));
    }
}
