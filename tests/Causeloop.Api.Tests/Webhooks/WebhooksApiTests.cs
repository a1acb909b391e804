using System.Net;
using System.Text;
using Causeloop.Api.Tests.Support;
using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Webhooks;

public sealed class WebhooksApiTests : ApiTest
{
    [Test]
    public async Task Creating_an_outbound_webhook_returns_201_with_every_field_and_the_secret_once()
    {
        var tenant = await Host.NewTenantAsync();
        var response = await tenant.Http.PostJsonAsync("/v1/webhooks",
            """{"url":"https://example.com/hooks","event_types":["sync.completed","issue.ingested"],"description":"CRM","enabled":false}""");
        var body = await response.OkAsync(HttpStatusCode.Created);

        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/v1/webhooks/{body.Id()}"));
            Assert.That(Guid.Parse(body.Id()).Version, Is.EqualTo(7));
            Assert.That(body["url"]!.GetValue<string>(), Is.EqualTo("https://example.com/hooks"));
            Assert.That(body["direction"]!.GetValue<string>(), Is.EqualTo("outbound"));
            Assert.That(body["event_types"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "sync.completed", "issue.ingested" }));
            Assert.That(body["enabled"]!.GetValue<bool>(), Is.False);
            Assert.That(body["description"]!.GetValue<string>(), Is.EqualTo("CRM"));
            Assert.That(body["connector_id"], Is.Null);
            Assert.That(body["inbound_url"], Is.Null);
            Assert.That(body["disabled_reason"], Is.Null);
            Assert.That(body["created_at"]!.GetValue<string>(), Does.EndWith("Z"));
            Assert.That(body["updated_at"]!.GetValue<string>(), Does.EndWith("Z"));
            Assert.That(body["signing_secret"]!.GetValue<string>(), Does.Match("^whsec_[A-Za-z0-9+/]{43}=$"));
        });

        var fetched = await (await tenant.Http.GetAsync($"/v1/webhooks/{body.Id()}")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(fetched.AsObject().ContainsKey("signing_secret"), Is.False, "GET never shows the secret");
            Assert.That(fetched["created_at"]!.GetValue<string>(), Is.EqualTo(body["created_at"]!.GetValue<string>()));
        });
    }

    [Test]
    public async Task Enabled_defaults_to_true()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await tenant.Http.CreateOutboundAsync();
        Assert.That(created["enabled"]!.GetValue<bool>(), Is.True);
    }

    [TestCase("""{"url":"not a url","event_types":["*"]}""", "url")]
    [TestCase("""{"url":"/relative","event_types":["*"]}""", "url")]
    [TestCase("""{"url":"ftp://example.com/x","event_types":["*"]}""", "url")]
    [TestCase("""{"event_types":["*"]}""", "url")]
    [TestCase("""{"url":"https://example.com/h","event_types":[]}""", "event_types")]
    [TestCase("""{"url":"https://example.com/h"}""", "event_types")]
    [TestCase("""{"url":"https://example.com/h","event_types":["no.such.type"]}""", "event_types")]
    [TestCase("""{"url":"https://example.com/h","event_types":["*","sync.completed"]}""", "event_types")]
    [TestCase("""{"url":"https://example.com/h","event_types":["*"],"surprise":1}""", "surprise")]
    [TestCase("""{"url":"https://example.com/h","event_types":"*"}""", "event_types")]
    [TestCase("""{"url":"https://example.com/h","event_types":["*"],"enabled":"yes"}""", "enabled")]
    [TestCase("""{"url":"https://example.com/h","event_types":["*"],"connector_id":"nope"}""", "connector_id")]
    [TestCase("""{"url":"https://example.com/h","event_types":["*"],"signing_secret":"whsec_x"}""", "signing_secret")]
    [TestCase("""{"url":"https://example.com/h",""", "body")]
    [TestCase("""[]""", "body")]
    [TestCase("\"just a string\"", "body")]
    [TestCase("", "body")]
    public async Task Bad_input_is_a_400_problem_naming_the_field_and_changes_nothing(string json, string field)
    {
        var tenant = await Host.NewTenantAsync();
        var before = await Host.ScalarAsync<long>("select count(*) from webhooks");
        var problem = await (await tenant.Http.PostJsonAsync("/v1/webhooks", json)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(async () =>
        {
            Assert.That(problem["errors"]!.AsObject().ContainsKey(field), Is.True, problem.ToJsonString());
            Assert.That(problem["type"]!.GetValue<string>(), Does.StartWith("https://causeloop.dev/problems/"));
            Assert.That(await Host.ScalarAsync<long>("select count(*) from webhooks"), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Over_long_url_and_description_are_refused()
    {
        var tenant = await Host.NewTenantAsync();
        var longUrl = "https://example.com/" + new string('a', 2040);
        var problem = await (await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"url":"{{longUrl}}","event_types":["*"]}""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["url"], Is.Not.Null);

        var longDescription = new string('d', 501);
        problem = await (await tenant.Http.PostJsonAsync("/v1/webhooks", $$"""{"url":"https://example.com/h","event_types":["*"],"description":"{{longDescription}}"}"""))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["description"], Is.Not.Null);
    }

    [Test]
    public async Task Patch_changes_only_the_fields_sent()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await tenant.Http.CreateOutboundAsync(eventTypes: "[\"sync.completed\"]");
        var id = created.Id();

        var patched = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"url":"https://example.org/new","description":"new"}""")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(patched["url"]!.GetValue<string>(), Is.EqualTo("https://example.org/new"));
            Assert.That(patched["description"]!.GetValue<string>(), Is.EqualTo("new"));
            Assert.That(patched["event_types"]![0]!.GetValue<string>(), Is.EqualTo("sync.completed"));
            Assert.That(patched["enabled"]!.GetValue<bool>(), Is.True);
        });

        patched = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"event_types":["pattern.detected"],"enabled":false,"description":null}""")).OkAsync();
        var fetched = await (await tenant.Http.GetAsync($"/v1/webhooks/{id}")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(fetched["url"]!.GetValue<string>(), Is.EqualTo("https://example.org/new"));
            Assert.That(fetched["event_types"]![0]!.GetValue<string>(), Is.EqualTo("pattern.detected"));
            Assert.That(fetched["enabled"]!.GetValue<bool>(), Is.False);
            Assert.That(fetched["description"], Is.Null);
            Assert.That(fetched.ToJsonString(), Is.EqualTo(patched.ToJsonString()));
        });
    }

    [TestCase("""{"direction":"inbound"}""", "direction")]
    [TestCase("""{"signing_secret":"whsec_AAAA"}""", "signing_secret")]
    [TestCase("""{"id":"0192e8a4-0000-7000-8000-000000000000"}""", "id")]
    [TestCase("""{"url":"nope"}""", "url")]
    [TestCase("""{"url":null}""", "url")]
    [TestCase("""{"event_types":[]}""", "event_types")]
    [TestCase("""{"enabled":null}""", "enabled")]
    [TestCase("""{"enabled":"false"}""", "enabled")]
    [TestCase("""{}""", "body")]
    [TestCase("""[]""", "body")]
    public async Task Patch_refuses_other_fields_and_bad_values_and_changes_nothing(string json, string field)
    {
        var tenant = await Host.NewTenantAsync();
        var id = (await tenant.Http.CreateOutboundAsync()).Id();
        var before = await (await tenant.Http.GetAsync($"/v1/webhooks/{id}")).OkAsync();

        var problem = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", json)).ProblemAsync(HttpStatusCode.BadRequest);
        var after = await (await tenant.Http.GetAsync($"/v1/webhooks/{id}")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(problem["errors"]!.AsObject().ContainsKey(field), Is.True, problem.ToJsonString());
            Assert.That(after.ToJsonString(), Is.EqualTo(before.ToJsonString()));
        });
    }

    [Test]
    public async Task Re_enabling_clears_the_disabled_reason()
    {
        var tenant = await Host.NewTenantAsync();
        var id = (await tenant.Http.CreateOutboundAsync()).Id();
        await Host.ExecuteAsync("update webhooks set enabled = false, disabled_reason = 'endpoint answered 410' where id = @id", new { id = Guid.Parse(id) });
        Assert.That((await (await tenant.Http.GetAsync($"/v1/webhooks/{id}")).OkAsync())["disabled_reason"]!.GetValue<string>(), Is.EqualTo("endpoint answered 410"));

        var patched = await (await tenant.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"enabled":true}""")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(patched["enabled"]!.GetValue<bool>(), Is.True);
            Assert.That(patched["disabled_reason"], Is.Null);
        });
    }

    [Test]
    public async Task Delete_answers_204_and_then_the_webhook_is_gone()
    {
        var tenant = await Host.NewTenantAsync();
        var id = (await tenant.Http.CreateOutboundAsync()).Id();
        Assert.That((await tenant.Http.DeleteAsync($"/v1/webhooks/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await tenant.Http.GetAsync($"/v1/webhooks/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.Http.DeleteAsync($"/v1/webhooks/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [TestCase("GET", "/v1/webhooks/not-a-uuid")]
    [TestCase("PATCH", "/v1/webhooks/12345")]
    [TestCase("DELETE", "/v1/webhooks/0192e8a4")]
    [TestCase("POST", "/v1/webhooks/xyz/rotate-secret")]
    [TestCase("GET", "/v1/webhooks/0192e8a4-0000-7000-8000-000000000000")]
    public async Task Ids_that_are_not_uuids_or_do_not_exist_are_404_problems(string method, string path)
    {
        var tenant = await Host.NewTenantAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "PATCH" ? Support.Json.Body("""{"enabled":true}""") : null };
        var problem = await (await tenant.Http.SendAsync(request)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("https://causeloop.dev/problems/not-found"));
    }

    [Test]
    public async Task Rotating_returns_a_new_secret_and_keeps_the_previous_one_for_the_overlap()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await tenant.Http.CreateOutboundAsync();
        var rotated = await (await tenant.Http.PostAsync($"/v1/webhooks/{created.Id()}/rotate-secret", null)).OkAsync();
        var oldSecret = created["signing_secret"]!.GetValue<string>();
        var newSecret = rotated["signing_secret"]!.GetValue<string>();

        var protector = Host.Services.GetRequiredService<ISecretProtector>();
        var row = (await Host.QueryAsync<(byte[] Secret, byte[] Previous, DateTime Expires)>(
            "select secret, previous_secret, previous_secret_expires_at from webhooks where id = @id", new { id = Guid.Parse(created.Id()) })).Single();
        Assert.Multiple(() =>
        {
            Assert.That(newSecret, Does.StartWith("whsec_").And.Not.EqualTo(oldSecret));
            Assert.That(rotated.Id(), Is.EqualTo(created.Id()));
            Assert.That(protector.Unprotect(row.Secret), Is.EqualTo(newSecret));
            Assert.That(protector.Unprotect(row.Previous), Is.EqualTo(oldSecret));
            Assert.That(row.Expires, Is.EqualTo(DateTime.UtcNow.AddHours(24)).Within(TimeSpan.FromMinutes(2)));
        });
    }

    [Test]
    public async Task Secrets_are_stored_encrypted_never_in_plain_text()
    {
        var tenant = await Host.NewTenantAsync();
        var created = await tenant.Http.CreateOutboundAsync();
        var secret = created["signing_secret"]!.GetValue<string>();
        var stored = await Host.ScalarAsync<byte[]>("select secret from webhooks where id = @id", new { id = Guid.Parse(created.Id()) });
        var dump = await Host.ScalarAsync<string>("select string_agg(t::text, '') from webhooks t");
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(stored), Does.Not.Contain(secret[6..]));
            Assert.That(Convert.ToBase64String(stored), Does.Not.Contain(secret[6..]));
            Assert.That(dump, Does.Not.Contain(secret[6..]));
            Assert.That(stored.Length, Is.GreaterThan(secret.Length), "nonce and tag are stored with the ciphertext");
        });
    }

    [Test]
    public async Task Event_types_catalog_lists_every_type_with_a_description_and_an_example()
    {
        var tenant = await Host.NewTenantAsync(Scope.WebhooksRead);
        var body = await (await tenant.Http.GetAsync("/v1/event-types")).OkAsync();
        var names = body["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EquivalentTo(new[]
            {
                "sync.completed", "issue.ingested", "pattern.detected", "webhook.test",
                "endpoint.failing", "endpoint.disabled", "endpoint.enabled", "message.attempt.exhausted", "message.attempt.recovered",
            }));
            Assert.That(body["data"]!.AsArray().All(t => t!["description"]!.GetValue<string>().Length > 0), Is.True);
            Assert.That(body["data"]!.AsArray().All(t => t!["example"] is System.Text.Json.Nodes.JsonObject), Is.True, "each with an example data object");
            Assert.That(body["data"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "endpoint.failing")!["example"]!["consecutive_failures"], Is.Not.Null);
            Assert.That(body.AsObject().ContainsKey("next_cursor") && body["next_cursor"] is null, Is.True, "the list shape of §1");
        });
    }

    [Test]
    public async Task List_filters_by_direction_and_enabled()
    {
        var tenant = await Host.NewTenantAsync();
        var on = (await tenant.Http.CreateOutboundAsync()).Id();
        var off = (await tenant.Http.CreateOutboundAsync("https://example.com/off", enabled: false)).Id();

        var enabled = await (await tenant.Http.GetAsync("/v1/webhooks?enabled=true")).OkAsync();
        var disabled = await (await tenant.Http.GetAsync("/v1/webhooks?enabled=false&direction=outbound")).OkAsync();
        var inbound = await (await tenant.Http.GetAsync("/v1/webhooks?direction=inbound")).OkAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(enabled["data"]!.AsArray().Select(w => w!.Id()), Is.EqualTo(new[] { on }));
            Assert.That(disabled["data"]!.AsArray().Select(w => w!.Id()), Is.EqualTo(new[] { off }));
            Assert.That(inbound["data"]!.AsArray(), Is.Empty);
            await (await tenant.Http.GetAsync("/v1/webhooks?direction=sideways")).ProblemAsync(HttpStatusCode.BadRequest);
            await (await tenant.Http.GetAsync("/v1/webhooks?enabled=maybe")).ProblemAsync(HttpStatusCode.BadRequest);
        });
    }
}
