using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Portal;

/// <summary>A customer's browser on the portal, over plain HTTP: the link's token exchanged for the cookie, forms posted with their anti-forgery token.</summary>
public static partial class PortalBrowser
{
    /// <summary>Opens a session with <paramref name="body"/> (the JSON of <c>POST /v1/portal/sessions</c>) and returns a browser holding its cookie.</summary>
    public static async Task<HttpClient> OpenAsync(ServiceHost host, Tenant tenant, string body)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return await ExchangeAsync(host, await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", body)).OkAsync(HttpStatusCode.Created));
    }

    public static async Task<HttpClient> ExchangeAsync(ServiceHost host, JsonNode created)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(created);
        var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = host.BaseAddress };
        var exchanged = await browser.PostAsync("/portal/exchange", Support.Json.Body(new { token = Token(created) }));
        Assert.That(exchanged.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        return browser;
    }

    /// <summary>Exchanges a created session's token as the landing page's script does, with extra request headers; the raw answer.</summary>
    public static async Task<HttpResponseMessage> ExchangeWithHeadersAsync(HttpClient client, JsonNode created, params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/portal/exchange") { Content = Support.Json.Body(new { token = Token(created) }) };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await client.SendAsync(request);
    }

    /// <summary>The one-time token in the fragment of a created session's link.</summary>
    public static string Token(JsonNode created)
    {
        ArgumentNullException.ThrowIfNull(created);
        return Uri.UnescapeDataString(new Uri(created["url"]!.GetValue<string>()).Fragment["#token=".Length..]);
    }

    /// <summary>Posts a form of <paramref name="pageWithForm"/> with its anti-forgery token and the given fields.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string url, string pageWithForm, params KeyValuePair<string, string>[] fields)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var token = AntiforgeryToken().Match(pageWithForm).Groups[1].Value;
        Assert.That(token, Is.Not.Empty, "the page holds a form with an anti-forgery token");
        return await browser.PostAsync(url, new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields]));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
