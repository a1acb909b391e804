namespace Causeloop.Api.Tests.Portal;

/// <summary>The API reference page (<c>/scalar</c>) as a customer's browser renders it: Causeloop's API, none of Scalar's own offers.</summary>
[NonParallelizable]
public sealed class ApiReferenceBrowserTests : BrowserTest
{
    [Test]
    public async Task The_reference_shows_causeloops_api_with_worded_tags_and_no_deploy_ai_or_sdk_buttons()
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(Host.BaseAddress, "/scalar").ToString());
        await page.WaitForSelectorAsync("text=Causeloop webhooks API", new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("text=Event types");
        var text = await page.InnerTextAsync("body");
        await ShotAsync(page, "21-api-reference", fullPage: false);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("Portal sessions"));
            Assert.That(text, Does.Not.Contain("EventTypes").And.Not.Contain("PortalSessions"));
            Assert.That(text, Does.Not.Contain("Deploy").And.Not.Contain("Ask AI").And.Not.Contain("Generate SDK").And.Not.Contain("Developer Tools"));
            TestContext.Out.WriteLine(text[..Math.Min(600, text.Length)]);
        });
    }
}
