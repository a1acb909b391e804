using System.Reflection;
using System.Text.RegularExpressions;
using Causeloop.Api.Pages.Portal;
using Causeloop.Api.Tests.Support;
using Causeloop.Domain.Deliveries;
using Causeloop.Domain.Portal;
using Causeloop.Domain.Webhooks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// The portal's source keeps the rules where they live: pages (and the SQL behind them) take statuses, success,
/// directions and button texts from the domain (through <c>StatusView</c> and <c>PortalActions</c>) instead of writing
/// their own; each file holds one public type named as the file, in at most 250 lines; and every page but the two that
/// come before a session (the landing page, the status page) needs the session's cookie.
/// </summary>
public sealed partial class PortalSourceTests
{
    private const int MaxLines = 250;

    private static string Src => Path.Combine(ServiceProcess.RepositoryRoot, "src");

    /// <summary>The portal's pages, their web plumbing and their SQL (Api/Pages/Portal, Api/Portal, Infrastructure/Portal).</summary>
    private static IEnumerable<string> PageFiles() =>
        new[] { Path.Combine(Src, "Api", "Pages", "Portal"), Path.Combine(Src, "Api", "Portal"), Path.Combine(Src, "Infrastructure", "Portal") }
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal));

    /// <summary>Every source file of the portal, in every layer: its path names the portal.</summary>
    private static IEnumerable<string> PortalFiles() =>
        Directory.EnumerateFiles(Src, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Path.GetRelativePath(Src, f).Contains("Portal", StringComparison.Ordinal));

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

    [Test]
    public void Every_portal_source_file_holds_one_public_type_named_as_the_file_and_at_most_250_lines()
    {
        var files = PortalFiles().ToList();
        Assert.That(files, Has.Count.GreaterThan(30));
        Assert.Multiple(() =>
        {
            foreach (var file in files)
            {
                var name = Path.GetRelativePath(Src, file);
                Assert.That(File.ReadLines(file).Count(), Is.LessThanOrEqualTo(MaxLines), name);
                if (!file.EndsWith(".cs", StringComparison.Ordinal))
                {
                    continue;
                }

                var types = PublicType().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).ToList();
                // A Razor page's model (Webhook.cshtml.cs) is WebhookModel.
                var expected = file.EndsWith(".cshtml.cs", StringComparison.Ordinal)
                    ? Path.GetFileName(file)[..^".cshtml.cs".Length] + "Model"
                    : Path.GetFileNameWithoutExtension(file);
                Assert.That(types, Is.EqualTo(new[] { expected }), name);
            }
        });
    }

    [Test]
    public void Every_portal_page_needs_the_session_cookie_except_the_landing_and_status_pages()
    {
        var pages = typeof(PortalPageModel).Assembly.GetTypes().Where(t => t is { IsAbstract: false } && typeof(PageModel).IsAssignableFrom(t)).ToList();
        Assert.That(pages, Has.Count.GreaterThanOrEqualTo(6));
        Assert.Multiple(() =>
        {
            foreach (var page in pages)
            {
                var anonymous = page.GetCustomAttribute<AllowAnonymousAttribute>() is not null;
                Assert.That(anonymous ? page == typeof(LandingModel) || page == typeof(StatusModel) : page.IsSubclassOf(typeof(PortalPageModel)), Is.True,
                    $"{page.Name}: a portal page derives from PortalPageModel (the cookie, the session's scope)");
            }
        });
    }

    /// <summary>A comparison with a 2xx or 3xx status code, or an SQL range of them.</summary>
    [GeneratedRegex(@"[<>]=?\s*[23]\d\d\b|between\s+[23]\d\d\b")]
    private static partial Regex StatusCodeRange();

    [GeneratedRegex(@"^\s*public\s+(?:(?:sealed|static|abstract|partial|readonly)\s+)*(?:class|record|interface|enum|struct)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex PublicType();
}
