using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Domain.Deliveries;
using Causeloop.Domain.Webhooks;
using Causeloop.Infrastructure.Deliveries;
using Dapper;
using Npgsql;

namespace Causeloop.Api.Tests.Delivery;

/// <summary>
/// Where SQL stands for a domain rule (to filter in the database, for speed), it is held to that rule here, over every
/// status and every type of the event catalog: the due condition of the claim, the recover condition, and the fan-out's
/// narrowing of candidate webhooks (which may keep more than the rule delivers to, never fewer).
/// </summary>
public sealed class DeliveryRulesInSqlTests : ApiTest
{
    private static readonly string[] Types = [.. EventType.Catalog.Select(t => t.Name)];

    /// <summary>Every subscription a webhook can hold, by shape: all, each type alone, each pair, all named.</summary>
    private static IEnumerable<string[]> Subscriptions() =>
    [
        [EventType.Wildcard],
        .. Types.Select(t => new[] { t }),
        .. Types.SelectMany((a, i) => Types.Skip(i + 1).Select(b => new[] { a, b })),
        Types,
    ];

    [Test]
    public async Task The_fan_out_reads_every_webhook_the_subscription_rule_delivers_an_event_of_any_catalog_type_to()
    {
        await using var connection = new NpgsqlConnection(Host.ConnectionString);
        var checkedPairs = 0;
        foreach (var subscribed in Subscriptions())
        {
            foreach (var type in Types)
            {
                var candidate = await connection.ExecuteScalarAsync<bool>(
                    $"select {DeliverySql.SubscriptionCandidate} from (select @subscribed::text[] as event_types) w",
                    new { subscribed, types = Subscription.CandidateTypes([type]) });
                var delivers = Subscription.Delivers(new Subscriber(Guid.NewGuid(), true, subscribed), new OutgoingEvent(Guid.NewGuid(), Guid.NewGuid(), type, null, null));
                if (delivers)
                {
                    Assert.That(candidate, Is.True, $"[{string.Join(", ", subscribed)}] gets {type}, so the fan-out must read it");
                }

                Assert.That(candidate, Is.EqualTo(subscribed.Contains(type) || subscribed.Contains(EventType.Wildcard)), $"[{string.Join(", ", subscribed)}] and {type}");
                checkedPairs++;
            }
        }

        Assert.That(checkedPairs, Is.GreaterThan(EventType.Catalog.Count * EventType.Catalog.Count), "every catalog type against every shape of subscription");
    }

    [Test]
    public async Task The_due_condition_is_the_domains_for_every_status_schedule_and_lease()
    {
        await using var connection = new NpgsqlConnection(Host.ConnectionString);
        await connection.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        var dbNow = await connection.ExecuteScalarAsync<DateTime>("select now()");
        DateTime?[] schedules = [null, now.AddMinutes(-1).UtcDateTime, now.AddMinutes(1).UtcDateTime];
        DateTime?[] leases = [null, dbNow.AddMinutes(-1), dbNow.AddMinutes(1)];
        foreach (var status in DeliveryStatus.All)
        {
            foreach (var next in schedules)
            {
                foreach (var lockedUntil in leases)
                {
                    await using var command = new NpgsqlCommand(
                        $"select coalesce({DeliverySql.Due}, false), coalesce({DeliverySql.DueFound}, false) from (select @status::text as status, @next::timestamptz as next_attempt_at, @locked::timestamptz as locked_until) d", connection);
                    command.Parameters.AddRange(DeliverySql.Parameters());
                    command.Parameters.Add(new NpgsqlParameter<string>("status", status));
                    command.Parameters.Add(new NpgsqlParameter("next", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)next ?? DBNull.Value });
                    command.Parameters.Add(new NpgsqlParameter("locked", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)lockedUntil ?? DBNull.Value });
                    command.Parameters.Add(new NpgsqlParameter("now", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = now.UtcDateTime });
                    await using var reader = await command.ExecuteReaderAsync();
                    await reader.ReadAsync();
                    var (inSql, foundInSql) = (reader.GetBoolean(0), reader.GetBoolean(1));
                    var leaseExpired = lockedUntil is null || lockedUntil < dbNow;
                    var inDomain = Causeloop.Domain.Deliveries.Delivery.IsDue(status, next is null ? null : new DateTimeOffset(next.Value), leaseExpired, now);
                    Assert.That(inSql, Is.EqualTo(inDomain), $"{status}, next attempt {next?.ToString("O") ?? "none"}, lease {lockedUntil?.ToString("O") ?? "none"}");
                    Assert.That(foundInSql, Is.EqualTo(inDomain), $"DueFound: {status}, next attempt {next?.ToString("O") ?? "none"}, lease {lockedUntil?.ToString("O") ?? "none"}");
                }
            }
        }
    }

    [Test]
    public async Task The_claims_key_rule_is_the_domains_for_every_state_of_an_earlier_delivery_and_event_of_the_key()
    {
        var tenant = await Host.NewTenantAsync();
        var workspace = await Host.ScalarAsync<Guid>("select id from workspaces where name = @name", new { name = tenant.Workspace });
        var webhookId = Guid.Parse((await tenant.Http.CreateOutboundAsync("https://example.com/keys", """["sync.completed"]"""))["id"]!.GetValue<string>());
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"enabled":false}""")).OkAsync();
        await using var connection = new NpgsqlConnection(Host.ConnectionString);
        await connection.OpenAsync();
        var checkedCases = 0;
        foreach (var siblingStatus in DeliveryStatus.All.Append(null))
        {
            foreach (var earlierEventWaiting in new[] { false, true })
            {
                foreach (var keyed in new[] { true, false })
                {
                    var key = $"key-{Guid.NewGuid():N}";
                    var candidate = Guid.NewGuid();
                    await Host.ExecuteAsync(
                        """
                        insert into events (id, workspace_id, type, body, created_at, ordering_key, seq)
                        values (@sibling, @workspace, 'sync.completed', '\x7b7d', now(), @key, 1), (@later, @workspace, 'sync.completed', '\x7b7d', now(), @key, 2);
                        insert into deliveries (id, workspace_id, webhook_id, event_id, status, next_attempt_at, created_at, updated_at, ordering_key, event_seq)
                        select @candidate, @workspace, @webhookId, @later, 'pending', now(), now(), now(), case when @keyed then @key end, 2;
                        insert into deliveries (id, workspace_id, webhook_id, event_id, status, next_attempt_at, created_at, updated_at, ordering_key, event_seq)
                        select gen_random_uuid(), @workspace, @webhookId, @sibling, @siblingStatus, now(), now(), now(), @key, 1 where @siblingStatus::text is not null;
                        insert into outbox (event_id, workspace_id, created_at, ordering_key, event_seq)
                        select gen_random_uuid(), @workspace, now(), @key, 0 where @earlierEventWaiting;
                        """,
                        new { sibling = Guid.NewGuid(), later = Guid.NewGuid(), workspace, key, candidate, keyed, webhookId, siblingStatus, earlierEventWaiting });
                    await using var command = new NpgsqlCommand($"select {DeliverySql.KeyHead} from deliveries d where d.id = @candidate", connection);
                    command.Parameters.AddRange(DeliverySql.Parameters());
                    command.Parameters.AddWithValue("candidate", candidate);
                    var inSql = (bool)(await command.ExecuteScalarAsync())!;
                    var unfinishedSiblings = siblingStatus is not null && DeliveryStatus.Unfinished.Contains(siblingStatus) ? new long[] { 1 } : [];
                    var inDomain = OrderingKey.MayStart(keyed ? key : null, 2, unfinishedSiblings, earlierEventWaiting ? [0] : []);
                    Assert.That(inSql, Is.EqualTo(inDomain), $"earlier delivery {siblingStatus ?? "none"}, earlier event waiting {earlierEventWaiting}, keyed {keyed}");
                    checkedCases++;
                    await Host.ExecuteAsync("delete from outbox where ordering_key = @key", new { key });
                }
            }
        }

        Assert.That(checkedCases, Is.EqualTo((DeliveryStatus.All.Count + 1) * 4));
    }

    [Test]
    public async Task Recover_takes_exactly_the_events_the_domain_calls_recoverable()
    {
        var tenant = await Host.NewTenantAsync();
        var workspace = await Host.ScalarAsync<Guid>("select id from workspaces where name = @name", new { name = tenant.Workspace });
        var webhook = await tenant.Http.CreateOutboundAsync("https://example.com/recover", """["sync.completed"]""");
        var webhookId = Guid.Parse(webhook["id"]!.GetValue<string>());
        await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{webhookId}", """{"enabled":false}""")).OkAsync();

        // One event per combination of up to two earlier deliveries to the webhook, in any statuses.
        var combinations = DeliveryStatus.All.Select(s => new[] { s })
            .Concat(DeliveryStatus.All.SelectMany((a, i) => DeliveryStatus.All.Skip(i).Select(b => new[] { a, b }))).ToArray();
        var expected = new List<Guid>();
        var since = DateTime.UtcNow.AddMinutes(-10);
        foreach (var statuses in combinations)
        {
            var eventId = Guid.CreateVersion7();
            await Host.ExecuteAsync(
                "insert into events (id, workspace_id, type, body, created_at) values (@eventId, @workspace, 'sync.completed', '\\x7b7d', @at)",
                new { eventId, workspace, at = since.AddMinutes(1) });
            foreach (var status in statuses)
            {
                await Host.ExecuteAsync(
                    "insert into deliveries (id, workspace_id, webhook_id, event_id, status, created_at, updated_at) values (@id, @workspace, @webhookId, @eventId, @status, now(), now())",
                    new { id = Guid.CreateVersion7(), workspace, webhookId, eventId, status });
            }

            if (Causeloop.Domain.Deliveries.Delivery.IsRecoverable(statuses))
            {
                expected.Add(eventId);
            }
        }

        var recovered = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhookId}/recover", $$"""{"since":"{{since:O}}"}""")).OkAsync(System.Net.HttpStatusCode.Accepted);
        var pending = await Host.QueryAsync<Guid>(
            "select event_id from deliveries where webhook_id = @webhookId and status = 'pending' and created_at > now() - interval '1 minute' and attempt_count = 0 and next_attempt_at is not null",
            new { webhookId });
        Assert.Multiple(() =>
        {
            Assert.That(expected, Is.Not.Empty);
            Assert.That(recovered["count"]!.GetValue<int>(), Is.EqualTo(expected.Count));
            Assert.That(pending, Is.EquivalentTo(expected));
        });
    }

    [Test]
    public async Task The_claims_rate_limit_is_the_domains_token_bucket_for_every_rate_and_bucket_state()
    {
        await using var connection = new NpgsqlConnection(Host.ConnectionString);
        var checkedStates = 0;
        foreach (var rate in new int?[] { null, 1, 7, 10_000 })
        {
            foreach (var tokens in new double?[] { null, 0, 0.5, 3.2 })
            {
                foreach (var ago in new[] { -1.0, 0.05, 0.3, 5 })
                {
                    var row = await connection.QuerySingleAsync<(DateTime Now, int MayStart, double? Available)>(
                        $"""
                        select now(), {DeliverySql.RateMayStart}, case when w.rate_limit is null then null else {DeliverySql.RateAvailable} end
                        from (select @rate::int as rate_limit) w
                        left join (select @tokens::float8 as tokens, now() - make_interval(secs => @ago) as refilled_at) rb on @tokens is not null
                        """,
                        new { rate, tokens, ago });
                    var refilledAt = tokens is null ? (DateTime?)null : row.Now.AddSeconds(-ago);
                    if (rate is { } limit)
                    {
                        Assert.That(row.Available, Is.EqualTo(RateLimit.Available(limit, tokens, refilledAt, row.Now)).Within(1e-6), "the tokens a lease spends from");
                    }

                    Assert.That(row.MayStart, Is.EqualTo(RateLimit.MayStart(rate, tokens, refilledAt, row.Now)),
                        $"rate {rate?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, tokens {tokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, refilled {ago} s ago");
                    checkedStates++;
                }
            }
        }

        Assert.That(checkedStates, Is.EqualTo(64));
    }
}
