using Causeloop.Application.Deliveries.Pipeline;
using System.Net;
using System.Text;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Inbound;
using Causeloop.Infrastructure.Persistence.GroupCommit;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// Group commit: concurrent writes share a transaction, yet each caller gets its own correct answer, only
/// after the commit, and a bad write fails alone.
/// </summary>
public sealed class GroupCommitTests : ApiTest
{
    private const int Concurrent = 64;

    [Test]
    public async Task Concurrent_requests_with_one_dedupe_id_store_one_event_and_all_answer_with_its_id()
    {
        var endpoint = await InboundEndpoint.CreateAsync(Host);
        using var source = Host.Client();

        var responses = await Task.WhenAll(Enumerable.Range(0, Concurrent)
            .Select(_ => endpoint.SendAsync(source, """{"issue":"CL-7"}""", eventId: "evt-same")));
        var answers = await Task.WhenAll(responses.Select(async r => (r.StatusCode, Body: await r.OkAsync(r.StatusCode))));

        var stored = await Host.QueryAsync<Guid>(
            "select id from inbound_events where connector_id = @c", new { c = Guid.Parse(endpoint.ConnectorId) });
        Assert.Multiple(async () =>
        {
            Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.Accepted), Is.EqualTo(1));
            Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.OK), Is.EqualTo(Concurrent - 1));
            Assert.That(answers.Select(a => a.Body.Id()).Distinct(), Is.EqualTo(new[] { stored.Single().ToString() }));
            Assert.That(answers.Count(a => a.Body["duplicate"]!.GetValue<bool>()), Is.EqualTo(Concurrent - 1));
            Assert.That(await Host.ScalarAsync<long>(
                "select count(*) from events where workspace_id = @w and type = 'issue.ingested'", new { w = await WorkspaceIdAsync(endpoint.Tenant) }), Is.EqualTo(1),
                "one issue.ingested for the one stored event");
        });
    }

    [Test]
    public async Task Concurrent_publishes_with_one_idempotency_key_emit_one_event()
    {
        var tenant = await Host.NewTenantAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ =>
            tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{"n":1},"idempotency_key":"k-1"}""")));
        var answers = await Task.WhenAll(responses.Select(async r => (r.StatusCode, Body: await r.OkAsync(r.StatusCode))));

        var stored = await Host.QueryAsync<Guid>("select id from events where workspace_id = @w", new { w = await WorkspaceIdAsync(tenant) });
        Assert.Multiple(() =>
        {
            Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.Accepted), Is.EqualTo(1));
            Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.OK), Is.EqualTo(Concurrent - 1));
            Assert.That(answers.Select(a => a.Body.Id()).Distinct(), Is.EqualTo(new[] { stored.Single().ToString() }));
        });
    }

    [Test]
    public async Task Every_accepted_request_is_committed_when_answered_and_each_gets_its_own_id()
    {
        var endpoint = await InboundEndpoint.CreateAsync(Host);
        using var source = Host.Client();

        var ids = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(async i =>
        {
            var accepted = await InboundEndpoint.AcceptedAsync(await endpoint.SendAsync(source, $$"""{"n":{{i}}}""", eventId: $"evt-{i}"));
            // Read on another connection as soon as this one answer arrives: it must already be committed.
            var visible = await Host.ScalarAsync<long>("select count(*) from inbound_events where id = @id", new { id = Guid.Parse(accepted.Id()) });
            return (Id: accepted.Id(), Visible: visible);
        }));

        Assert.Multiple(() =>
        {
            Assert.That(ids.Select(x => x.Id).Distinct().Count(), Is.EqualTo(Concurrent));
            Assert.That(ids.All(x => x.Visible == 1), Is.True, "no 202 before the commit that stores the event");
        });
    }

    [Test]
    public async Task A_write_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_stored()
    {
        // JSON that .NET accepts but Postgres's jsonb refuses (a NUL escape): it passes verification, fails in the batch.
        var endpoint = await InboundEndpoint.CreateAsync(Host);
        using var source = Host.Client();
        const string refused = """{"text":"\u0000"}""";

        var responses = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(i =>
            endpoint.SendAsync(source, i == Concurrent / 2 ? refused : $$"""{"n":{{i}}}""")));

        var stored = await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @c", new { c = Guid.Parse(endpoint.ConnectorId) });
        var bad = responses[Concurrent / 2];
        Assert.Multiple(() =>
        {
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a 4xx for the bad body, not a 500");
            Assert.That(responses.Where(r => r != bad).All(r => r.StatusCode == HttpStatusCode.Accepted), Is.True);
            Assert.That(stored, Is.EqualTo(Concurrent - 1));
        });
    }

    [Test]
    public async Task A_batch_whose_commit_fails_answers_503_to_each_of_its_requests_and_stores_none()
    {
        // A deferred constraint that fails at COMMIT for this connector: the whole transaction is lost there.
        var endpoint = await InboundEndpoint.CreateAsync(Host);
        var connector = Guid.Parse(endpoint.ConnectorId);
        await Host.ExecuteAsync($$"""
            create function fail_at_commit() returns trigger language plpgsql as $$
            begin raise exception 'refused at commit' using errcode = '40001'; end $$;
            create constraint trigger fail_at_commit after insert on inbound_events deferrable initially deferred
            for each row when (new.connector_id = '{{connector}}') execute function fail_at_commit();
            """);
        try
        {
            using var source = Host.Client();
            var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => endpoint.SendAsync(source, $$"""{"n":{{i}}}""")));
            Assert.Multiple(async () =>
            {
                Assert.That(responses.Select(r => (int)r.StatusCode).Distinct(), Is.EqualTo(new[] { 503 }));
                Assert.That(responses[0].Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
                Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @connector", new { connector }), Is.Zero);
            });
        }
        finally
        {
            await Host.ExecuteAsync("drop trigger fail_at_commit on inbound_events; drop function fail_at_commit()");
        }
    }

    [Test]
    public async Task A_caller_that_gives_up_before_its_write_is_taken_is_never_written()
    {
        // A writer that has not started: writes wait in its queue, as they would behind a slow commit.
        var dataSource = Host.Services.GetRequiredService<NpgsqlDataSource>();
        var writer = new GroupCommitWriter(dataSource, new WorkSignal(), Options.Create(new GroupCommitOptions()), NullLogger<GroupCommitWriter>.Instance);
        var endpoint = await InboundEndpoint.CreateAsync(Host);
        var workspace = await WorkspaceIdAsync(endpoint.Tenant);
        var connector = Guid.Parse(endpoint.ConnectorId);
        var now = DateTime.UtcNow;

        InboundEvent Inbound(string eventId) =>
            new(Guid.CreateVersion7(), workspace, connector, eventId, Encoding.UTF8.GetBytes("{}"), "application/json", null, now);
        OutboxEvent Ingested() => new(Guid.CreateVersion7(), workspace, "issue.ingested", Encoding.UTF8.GetBytes("{}"), now);

        using var giveUp = new CancellationTokenSource();
        var abandoned = writer.StoreInboundAsync(Inbound("abandoned"), Ingested(), giveUp.Token).AsTask();
        var kept = writer.StoreInboundAsync(Inbound("kept"), Ingested(), CancellationToken.None).AsTask();
        await giveUp.CancelAsync();
        Assert.That(async () => await abandoned, Throws.InstanceOf<OperationCanceledException>());

        await writer.StartAsync(CancellationToken.None);
        var result = await kept;
        await writer.StopAsync(CancellationToken.None);

        var eventIds = await Host.QueryAsync<string>("select event_id from inbound_events where connector_id = @connector", new { connector });
        Assert.Multiple(() =>
        {
            Assert.That(result.Duplicate, Is.False);
            Assert.That(eventIds, Is.EqualTo(new[] { "kept" }));
        });
    }

    [Test]
    public async Task A_stopped_writer_refuses_new_writes_with_a_503_kind_of_error_and_stores_nothing()
    {
        var dataSource = Host.Services.GetRequiredService<NpgsqlDataSource>();
        var writer = new GroupCommitWriter(dataSource, new WorkSignal(), Options.Create(new GroupCommitOptions()), NullLogger<GroupCommitWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);
        var tenant = await Host.NewTenantAsync();

        var workspace = await WorkspaceIdAsync(tenant);
        var publish = writer.PublishAsync(
            new OutboxEvent(Guid.CreateVersion7(), workspace, "sync.completed", Encoding.UTF8.GetBytes("{}"), DateTime.UtcNow), CancellationToken.None);

        Assert.That(async () => await publish, Throws.InstanceOf<Application.Common.UnavailableException>());
        Assert.That(await Host.ScalarAsync<long>("select count(*) from events where workspace_id = @w", new { w = workspace }), Is.Zero);
    }

    private Task<Guid> WorkspaceIdAsync(Tenant tenant) =>
        Host.ScalarAsync<Guid>("select id from workspaces where name = @name", new { name = tenant.Workspace });
}
