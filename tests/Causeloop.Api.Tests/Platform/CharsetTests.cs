using System.Net;
using System.Text;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Platform;

/// <summary>A body declared in another charset is decoded or refused with a 4xx, never a 500, on every JSON endpoint.</summary>
public sealed class CharsetTests : ApiTest
{
    private static readonly string[] Charsets = ["utf-16", "utf-32", "iso-8859-1", "x-no-such-charset"];

    [Test]
    public async Task A_json_body_in_an_odd_length_utf16_or_unknown_charset_is_a_4xx_problem_and_changes_nothing()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = await Webhooks.WebhookApi.CreateOutboundAsync(tenant.Http);
        var id = Webhooks.WebhookApi.Id(webhook);
        var before = await Host.ScalarAsync<long>("select (select count(*) from connectors) + (select count(*) from webhooks) + (select count(*) from events)");
        var body = Encoding.UTF8.GetBytes("""{"name":"fuzz-81514","kind":"custom"}"""); // 37 bytes: not whole UTF-16 units
        foreach (var charset in Charsets)
        {
            foreach (var (method, path) in new[] { ("POST", "/v1/connectors"), ("POST", "/v1/webhooks"), ("PATCH", $"/v1/webhooks/{id}"), ("POST", "/v1/events") })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.TryAddWithoutValidation("content-type", $"application/json; charset={charset}");
                using var response = await tenant.Http.SendAsync(request);
                Assert.That((int)response.StatusCode, Is.InRange(400, 499), $"{method} {path} with charset={charset}");
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{method} {path} with charset={charset}");
            }
        }

        Assert.That(await Host.ScalarAsync<long>("select (select count(*) from connectors) + (select count(*) from webhooks) + (select count(*) from events)"), Is.EqualTo(before));
    }
}
