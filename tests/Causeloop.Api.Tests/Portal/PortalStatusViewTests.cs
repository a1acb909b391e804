using System.Net;
using System.Text.RegularExpressions;
using Causeloop.Api.Pages.Portal;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Domain.Deliveries;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// The portal shows the domain's statuses and the domain's idea of success, styled by the one <see cref="StatusView"/>:
/// a page that kept a list of its own would fall behind the first time the domain changed.
/// </summary>
public sealed partial class PortalStatusViewTests : ApiTest
{
    [Test]
    public async Task The_status_filter_offers_exactly_the_domain_s_statuses_and_each_status_and_answer_is_styled_by_StatusView()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = Guid.Parse((await tenant.Http.CreateOutboundAsync("https://example.com/every-status", """["sync.completed"]""")).Id());
        // One delivery in each status, with no next attempt: the worker leaves them alone. Each has one attempt, answered
        // 204 when it succeeded and 500 otherwise.
        await Host.ExecuteAsync("""
            insert into events (id, workspace_id, type, body, created_at)
                select uuidv7(now()), workspace_id, 'sync.completed', '\x7b7d', now() from webhooks where id = @webhook;
            insert into deliveries (id, workspace_id, webhook_id, event_id, status, attempt_count, last_status_code, created_at, updated_at)
                select uuidv7(now() - s.n * interval '1 second'), w.workspace_id, w.id, (select id from events where workspace_id = w.workspace_id),
                       s.status, 1, case when s.status = @succeeded then 204 else 500 end, now() - s.n * interval '1 second', now()
                from webhooks w, unnest(@statuses::text[]) with ordinality as s (status, n) where w.id = @webhook;
            insert into delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, status_code)
                select d.id, 1, d.workspace_id, d.created_at, 5, d.last_status_code from deliveries d where d.webhook_id = @webhook;
            """, new { webhook, statuses = DeliveryStatus.All.ToArray(), succeeded = DeliveryStatus.Succeeded });

        var browser = await PortalBrowser.OpenAsync(Host, tenant, "{}");
        var page = await browser.GetStringAsync($"/portal/webhooks/{webhook}");
        var filter = StatusFilter().Match(page);
        Assert.That(filter.Success, Is.True, page);
        var offered = OptionValue().Matches(filter.Value).Select(m => m.Groups[1].Value).ToList();
        var rows = StatusCell().Matches(page).ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Success ? m.Groups[1].Value : null);
        var list = await browser.GetStringAsync("/portal/webhooks");
        var newest = await browser.GetStringAsync($"/portal/webhooks/{webhook}/deliveries/{DeliveryLink().Match(page).Groups[1].Value}");

        Assert.Multiple(() =>
        {
            Assert.That(offered, Is.EqualTo(new[] { "" }.Concat(DeliveryStatus.All)), "any status, then every status the domain has, in its order");
            Assert.That(rows.Keys, Is.EquivalentTo(DeliveryStatus.All), "one row per status");
            foreach (var status in DeliveryStatus.All)
            {
                Assert.That(rows.GetValueOrDefault(status), Is.EqualTo(StatusView.StyleOf(status)), status);
            }

            Assert.That(rows[DeliveryStatus.Succeeded], Is.EqualTo(StatusView.Ok));
            Assert.That(rows[DeliveryStatus.Dead], Is.EqualTo(StatusView.Bad));
            // The newest delivery is the first status's; its attempt answered 500, and the list's last attempt is its answer.
            Assert.That(newest, Does.Contain($"<td data-label=\"Status\" class=\"{StatusView.StyleOfAnswer(500)}\">500</td>"));
            Assert.That(list, Does.Contain($"<span class=\"{StatusView.StyleOfAnswer(500)}\">500</span>"));
        });
    }

    [Test]
    public void An_answer_is_good_news_only_when_the_domain_counts_it_delivered_and_only_a_waiting_delivery_shows_its_next_attempt()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StatusView.StyleOfAnswer(200), Is.EqualTo(StatusView.Ok));
            Assert.That(StatusView.StyleOfAnswer(299), Is.EqualTo(StatusView.Ok));
            Assert.That(StatusView.StyleOfAnswer(302), Is.EqualTo(StatusView.Bad));
            Assert.That(StatusView.StyleOfAnswer(null), Is.EqualTo(StatusView.Bad), "an error is no answer");
            Assert.That(DeliveryStatus.All.Where(StatusView.ShowsNextAttempt), Is.EquivalentTo(new[] { DeliveryStatus.Pending, DeliveryStatus.Failed }),
                "a delivery waiting for an attempt shows when; one under way or finished does not");
        });
    }

    [GeneratedRegex("""<select name="status">.*?</select>""", RegexOptions.Singleline)]
    private static partial Regex StatusFilter();

    [GeneratedRegex("""<option value="([^"]*)"[^>]*>""")]
    private static partial Regex OptionValue();

    [GeneratedRegex("""<td data-label="Status"(?: class="([^"]*)")?>([a-z_]+)</td>""")]
    private static partial Regex StatusCell();

    [GeneratedRegex("/deliveries/([0-9a-f-]{36})\"")]
    private static partial Regex DeliveryLink();
}
