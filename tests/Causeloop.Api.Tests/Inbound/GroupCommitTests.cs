using Causeloop.Application.Deliveries.Pipeline;
using System.Net;
using System.Text;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Inbound;
using Causeloop.Domain.Events;
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
        var endpoint = await SignedSource.CreateAsync(Host);
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
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();

        var ids = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(async i =>
        {
            var accepted = await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, $$"""{"n":{{i}}}""", eventId: $"evt-{i}"));
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
        // A trigger refuses one body, as Postgres refuses a value it cannot store: it passes verification, fails in the batch.
        var endpoint = await SignedSource.CreateAsync(Host);
        var connector = Guid.Parse(endpoint.ConnectorId);
        var name = "refuse_" + Guid.NewGuid().ToString("N")[..8];
        await Host.ExecuteAsync($$"""
            create function {{name}}() returns trigger language plpgsql as $$
            begin if new.connector_id = '{{connector}}' and position('refused' in convert_from(new.raw_body, 'UTF8')) > 0 then
                raise exception 'refused' using errcode = '22023'; end if; return new; end $$;
            create trigger {{name}} before insert on inbound_events for each row execute function {{name}}();
            """);
        try
        {
            using var source = Host.Client();
            var responses = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(i =>
                endpoint.SendAsync(source, i == Concurrent / 2 ? """{"text":"refused"}""" : $$"""{"n":{{i}}}""")));

            var stored = await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @c", new { c = connector });
            var bad = responses[Concurrent / 2];
            Assert.Multiple(() =>
            {
                Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a 4xx for the bad body, not a 500");
                Assert.That(responses.Where(r => r != bad).All(r => r.StatusCode == HttpStatusCode.Accepted), Is.True);
                Assert.That(stored, Is.EqualTo(Concurrent - 1));
            });
        }
        finally
        {
            await Host.ExecuteAsync($"drop trigger {name} on inbound_events; drop function {name}()");
        }
    }

    [Test]
    public async Task A_NUL_escape_in_a_verified_JSON_body_is_accepted_and_stored_as_sent()
    {
        // Valid JSON; stored as the raw bytes that were verified (no jsonb copy refuses it), and listed as sent.
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        const string body = """{"text":"a\u0000b"}""";
        var accepted = await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, body));
        var stored = await Host.ScalarAsync<byte[]>("select raw_body from inbound_events where id = @id", new { id = Guid.Parse(accepted.Id()) });
        var listed = await (await endpoint.Tenant.Http.GetAsync($"/v1/connectors/{endpoint.ConnectorId}/events")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(stored), Is.EqualTo(body));
            Assert.That(listed["data"]![0]!["payload"]!["text"]!.GetValue<string>(), Is.EqualTo("a\0b"));
        });
    }

    [Test]
    public async Task A_batch_whose_commit_fails_answers_503_to_each_of_its_requests_and_stores_none()
    {
        // A deferred constraint that fails at COMMIT for this connector: the whole transaction is lost there.
        var endpoint = await SignedSource.CreateAsync(Host);
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
        var endpoint = await SignedSource.CreateAsync(Host);
        var workspace = await WorkspaceIdAsync(endpoint.Tenant);
        var connector = Guid.Parse(endpoint.ConnectorId);
        var now = DateTime.UtcNow;

        InboundEvent Inbound(string eventId) =>
            new(Guid.CreateVersion7(), workspace, connector, eventId, Encoding.UTF8.GetBytes("{}"), "application/json", null, now);
        OutboxEvent Ingested() => new(Guid.CreateVersion7(), workspace, "issue.ingested", Encoding.UTF8.GetBytes("{}"), now) { Cause = EventCause.Inbound(connector, Guid.CreateVersion7()) };

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
            new OutboxEvent(Guid.CreateVersion7(), workspace, "sync.completed", Encoding.UTF8.GetBytes("{}"), DateTime.UtcNow) { Cause = EventCause.Api("cl_test") }, CancellationToken.None);

        Assert.That(async () => await publish, Throws.InstanceOf<Application.Common.UnavailableException>());
        Assert.That(await Host.ScalarAsync<long>("select count(*) from events where workspace_id = @w", new { w = workspace }), Is.Zero);
    }

    [Test]
    public async Task A_batch_with_one_write_the_database_refuses_is_halved_not_written_again_write_by_write()
    {
        // One batch of 64 (the writer starts after they are queued), one of which a trigger refuses row by row. A sequence
        // counts the insert statements (nextval is not rolled back with them).
        var endpoint = await SignedSource.CreateAsync(Host);
        var workspace = await WorkspaceIdAsync(endpoint.Tenant);
        var connector = Guid.Parse(endpoint.ConnectorId);
        var counter = "gc_statements_" + Guid.NewGuid().ToString("N")[..8];
        await Host.ExecuteAsync($$"""
            create sequence {{counter}};
            create function {{counter}}_count() returns trigger language plpgsql as $$ begin perform nextval('{{counter}}'); return null; end $$;
            create trigger {{counter}}_count before insert on inbound_events for each statement execute function {{counter}}_count();
            create function {{counter}}_refuse() returns trigger language plpgsql as $$
            begin if new.connector_id = '{{connector}}' and new.event_id = 'refused' then raise exception 'refused' using errcode = '22023'; end if; return new; end $$;
            create trigger {{counter}}_refuse before insert on inbound_events for each row execute function {{counter}}_refuse();
            """);
        try
        {
            var writer = new GroupCommitWriter(Host.Services.GetRequiredService<NpgsqlDataSource>(), new WorkSignal(), Options.Create(new GroupCommitOptions()), NullLogger<GroupCommitWriter>.Instance);
            var now = DateTime.UtcNow;
            var writes = Enumerable.Range(0, 64).Select(i =>
            {
                var inbound = new InboundEvent(Guid.CreateVersion7(), workspace, connector, i == 40 ? "refused" : $"ok-{i}", Encoding.UTF8.GetBytes("{}"), "application/json", null, now);
                return writer.StoreInboundAsync(inbound, new OutboxEvent(Guid.CreateVersion7(), workspace, "issue.ingested", Encoding.UTF8.GetBytes("{}"), now)
                {
                    Cause = EventCause.Inbound(connector, inbound.Id),
                }, CancellationToken.None).AsTask();
            }).ToArray();
            await writer.StartAsync(CancellationToken.None);
            var outcomes = await Task.WhenAll(writes.Select(async w => { try { await w; return "stored"; } catch (Application.Common.BadRequestException) { return "refused"; } }));
            await writer.StopAsync(CancellationToken.None);

            var statements = await Host.ScalarAsync<long>($"select last_value from {counter}");
            Assert.Multiple(async () =>
            {
                Assert.That(outcomes.Count(o => o == "refused"), Is.EqualTo(1), "the refused write fails alone, as a 400");
                Assert.That(await Host.ScalarAsync<long>("select count(*) from inbound_events where connector_id = @connector", new { connector }), Is.EqualTo(63));
                // Halving: the batch, then two halves per level down to the refused write (1 + 2 × 6). One by one: 1 + 64.
                Assert.That(statements, Is.LessThanOrEqualTo(13), "the failed batch was halved, not written again write by write");
            });
        }
        finally
        {
            await Host.ExecuteAsync($"drop trigger {counter}_count on inbound_events; drop trigger {counter}_refuse on inbound_events; drop function {counter}_count(); drop function {counter}_refuse(); drop sequence {counter}");
        }
    }

    [Test]
    public async Task A_batch_fails_at_once_when_the_database_cannot_be_reached_instead_of_write_by_write()
    {
        // A server that accepts connections and never answers: each connection attempt waits out its 1 s timeout.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=1;Pooling=false");
        var writer = new GroupCommitWriter(dataSource, new WorkSignal(), Options.Create(new GroupCommitOptions { Writers = 1 }), NullLogger<GroupCommitWriter>.Instance);
        var writes = Enumerable.Range(0, 32).Select(_ => writer.PublishAsync(
            new OutboxEvent(Guid.CreateVersion7(), Guid.CreateVersion7(), "sync.completed", Encoding.UTF8.GetBytes("{}"), DateTime.UtcNow) { Cause = EventCause.Api("cl_test") }, CancellationToken.None).AsTask()).ToArray();
        var started = System.Diagnostics.Stopwatch.StartNew();
        await writer.StartAsync(CancellationToken.None);
        var failures = await Task.WhenAll(writes.Select(async w => { try { await w; return null; } catch (Exception e) { return e; } }));
        var elapsed = started.Elapsed;
        await writer.StopAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.All.InstanceOf<Application.Common.UnavailableException>(), "503 for each");
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(8)), "one connection timeout for the batch, not one per write (32 s)");
        });
    }

    [Test]
    public async Task A_full_queue_refuses_a_write_at_once_and_stores_nothing_of_it()
    {
        var tenant = await Host.NewTenantAsync();
        var workspace = await WorkspaceIdAsync(tenant);
        var writer = new GroupCommitWriter(Host.Services.GetRequiredService<NpgsqlDataSource>(), new WorkSignal(), Options.Create(new GroupCommitOptions { MaxQueue = 4 }), NullLogger<GroupCommitWriter>.Instance);
        OutboxEvent Event() => new(Guid.CreateVersion7(), workspace, "sync.completed", Encoding.UTF8.GetBytes("{}"), DateTime.UtcNow) { Cause = EventCause.Api("cl_test") };
        var queued = Enumerable.Range(0, 4).Select(_ => writer.PublishAsync(Event(), CancellationToken.None).AsTask()).ToArray();

        var fifth = writer.PublishAsync(Event(), CancellationToken.None).AsTask();
        Assert.That(fifth.IsFaulted, Is.True, "refused at once, not queued to wait");
        var refused = fifth.Exception!.InnerException as Application.Common.UnavailableException;
        Assert.That(refused?.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)), "503 with Retry-After: 1");

        await writer.StartAsync(CancellationToken.None);
        await Task.WhenAll(queued);
        await writer.StopAsync(CancellationToken.None);
        Assert.That(await Host.ScalarAsync<long>("select count(*) from events where workspace_id = @w", new { w = workspace }), Is.EqualTo(4), "the queued four only");
    }

    private Task<Guid> WorkspaceIdAsync(Tenant tenant) =>
        Host.ScalarAsync<Guid>("select id from workspaces where name = @name", new { name = tenant.Workspace });
}
