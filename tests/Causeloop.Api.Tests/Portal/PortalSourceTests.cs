using System.Text.RegularExpressions;
using Causeloop.Api.Tests.Support;
using Causeloop.Domain.Deliveries;
using Causeloop.Domain.Portal;
using Causeloop.Domain.Webhooks;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// The portal's source keeps the rules where they live: pages (and the SQL behind them) take statuses, success,
/// directions and button texts from the domain (through <c>StatusView</c> and <c>PortalActions</c>) instead of writing
/// their own.
/// </summary>
public sealed partial class PortalSourceTests
{
    private static string Src => Path.Combine(ServiceProcess.RepositoryRoot, "src");

    /// <summary>The portal's pages, their web plumbing and their SQL (Api/Pages/Portal, Api/Portal, Infrastructure/Portal).</summary>
    private static IEnumerable<string> PageFiles() =>
        new[] { Path.Combine(Src, "Api", "Pages", "Portal"), Path.Combine(Src, "Api", "Portal"), Path.Combine(Src, "Infrastructure", "Portal") }
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal));

    [Test]
    public void Portal_pages_and_their_sql_write_no_status_list_success_range_direction_or_button_text_of_their_own()
    {
        var files = PageFiles().ToList();
        Assert.That(files, Has.Count.GreaterThan(10));
        var literals = DeliveryStatus.All.Concat([WebhookDirection.Outbound, WebhookDirection.Inbound])
            .SelectMany(value => new[] { $"\"{value}\"", $"'{value}'" })
            .Concat(Enum.GetValues<PortalAction>().Select(action => $">{PortalActions.Label(action)}</button>"))
            .ToList();
        Assert.Multiple(() =>
        {
            foreach (var file in files)
            {
                var text = File.ReadAllText(file);
                var name = Path.GetRelativePath(Src, file);
                foreach (var literal in literals)
                {
                    Assert.That(text, Does.Not.Contain(literal), $"{name} writes {literal}: take it from the domain (StatusView, WebhookDirection, PortalActions.Label)");
                }

                Assert.That(StatusCodeRange().Match(text).Value, Is.Empty, $"{name} decides which status codes succeed: AttemptResult.IsSuccessStatus does");
            }
        });
    }

    /// <summary>A comparison with a 2xx or 3xx status code, or an SQL range of them.</summary>
    [GeneratedRegex(@"[<>]=?\s*[23]\d\d\b|between\s+[23]\d\d\b")]
    private static partial Regex StatusCodeRange();
}
