using Causeloop.Api.Tests.Support;
using Microsoft.Playwright;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// A fixture that drives headless Chromium (Debian's package, through Microsoft.Playwright; no browser download) against its
/// own service, and saves each page it shows as a screenshot to the test results (<c>portal-screenshots/</c>).
/// </summary>
public abstract class BrowserTest : ApiTest
{
    protected IBrowser Browser { get; private set; } = null!;

    private IPlaywright _playwright = null!;

    public static string? ChromiumPath =>
        new[] { Environment.GetEnvironmentVariable("CAUSELOOP_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        if (ChromiumPath is null)
        {
            Assert.Ignore("No Chromium: scripts/test installs Debian's chromium package.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A browser context as wide as a phone (375 px), where every page must stay readable.</summary>
    protected Task<IBrowserContext> PhoneAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 375, Height = 800 } });

    protected static async Task ShotAsync(IPage page, string name, bool fullPage = true)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "portal-screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        TestContext.AddTestAttachment(path, name);
    }

    /// <summary>
    /// Opens a portal link as a customer does and waits until its script has exchanged the token and moved on to the
    /// webhooks page; if the landing page says something else instead (the exchange was refused, or failed), fails with what it says.
    /// </summary>
    protected static async Task OpenLinkAsync(IPage page, string link)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(link);
        await page.WaitForFunctionAsync(
            "() => location.pathname === '/portal/webhooks' || !/One moment/.test(document.getElementById('status')?.textContent ?? 'One moment')",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        if (new Uri(page.Url).AbsolutePath != "/portal/webhooks")
        {
            Assert.Fail($"The portal link did not open the portal: {await page.TextContentAsync("#status")}");
        }

        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>Whether the page scrolls sideways: at 375 px nothing should be wider than the screen.</summary>
    protected static async Task<bool> ScrollsSidewaysAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1");
    }
}
