using System.Net;
using Causeloop.Api.Portal;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Causeloop.Application.Common;
using Causeloop.Application.Portal.RevealWebhookSecret;
using Causeloop.Application.Webhooks.CreateWebhook;
using Causeloop.Application.Webhooks.DeleteWebhook;
using Causeloop.Application.Webhooks.RotateWebhookSecret;
using Causeloop.Application.Webhooks.TestWebhook;
using Causeloop.Application.Webhooks.UpdateWebhook;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Api.Tests.Portal;

/// <summary>
/// §12's capabilities are enforced by the mediator pipeline itself, not only by the pages: a portal session's principal,
/// made by the running service's own cookie handler, sends messages straight to the service's mediator — as a page
/// would after a check it forgot.
/// </summary>
public sealed class PortalPipelineTests : ApiTest
{
    [Test]
    public async Task A_session_reaches_only_the_messages_its_capabilities_name()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = Guid.Parse((await tenant.Http.CreateOutboundAsync()).Id());

        var read = await SessionAsync(tenant, """{"capabilities":["read"]}""");
        var manage = await SessionAsync(tenant, """{"capabilities":["manage"]}""");
        var secrets = await SessionAsync(tenant, """{"capabilities":["secrets"]}""");
        var both = await SessionAsync(tenant, """{"capabilities":["manage","secrets"]}""");

        Assert.Multiple(async () =>
        {
            await RefusedAsync(read, new RevealWebhookSecretQuery(webhook), "a read session reveals no secret");
            await RefusedAsync(manage, new RevealWebhookSecretQuery(webhook), "manage does not reveal secrets");
            await RefusedAsync(manage, new RotateWebhookSecretCommand(webhook), "manage does not rotate secrets");
            await RefusedAsync(secrets, new TestWebhookCommand(webhook), "secrets does not manage");
            await RefusedAsync(secrets, new CreateWebhookCommand("https://example.com/made-by-a-portal", ["*"], null, null, null),
                "creating a webhook is managing (§18's Add endpoint), not secrets");
            await RefusedAsync(read, new DeleteWebhookCommand(webhook), "a read session deletes nothing");
            await RefusedAsync(secrets, new DeleteWebhookCommand(webhook), "deleting is managing, not secrets");

            Assert.That(await SendAsync(manage, new TestWebhookCommand(webhook)), Is.Not.Null, "manage sends a test event");
            Assert.That(await SendAsync(both, new CreateWebhookCommand("https://example.com/made-by-a-portal", ["*"], null, null, null)), Is.Not.Null,
                "manage adds an endpoint");
            Assert.That(await SendAsync(secrets, new RevealWebhookSecretQuery(webhook)), Does.StartWith("whsec_"), "secrets reveals");
            Assert.That(await SendAsync(secrets, new RotateWebhookSecretCommand(webhook)), Is.Not.Null, "secrets rotates");
        });
    }

    [Test]
    public async Task Changing_headers_or_auth_needs_secrets_as_well_as_manage()
    {
        var tenant = await Host.NewTenantAsync();
        var webhook = Guid.Parse((await tenant.Http.CreateOutboundAsync()).Id());
        var manage = await SessionAsync(tenant, """{"capabilities":["manage"]}""");
        var secrets = await SessionAsync(tenant, """{"capabilities":["secrets"]}""");
        var both = await SessionAsync(tenant, """{"capabilities":["manage","secrets"]}""");
        PatchField<IReadOnlyDictionary<string, string?>?> headers = new(true, new Dictionary<string, string?> { ["X-A"] = "1" });
        PatchField<Causeloop.Domain.Webhooks.EndpointAuth?> noAuth = new(true, null);
        UpdateWebhookCommand Change(PatchField<IReadOnlyDictionary<string, string?>?> h, PatchField<Causeloop.Domain.Webhooks.EndpointAuth?> a) =>
            new(webhook, default, default, default, default, Headers: h, Auth: a);

        Assert.Multiple(async () =>
        {
            await RefusedAsync(manage, Change(headers, default), "manage alone does not set headers");
            await RefusedAsync(manage, Change(default, noAuth), "manage alone does not remove auth");
            await RefusedAsync(secrets, Change(headers, default), "secrets alone does not change the webhook");
            Assert.That(await SendAsync(manage, new UpdateWebhookCommand(webhook, default, default, default, new PatchField<string?>(true, "d"))), Is.Not.Null,
                "manage changes the rest");
            Assert.That(await SendAsync(both, Change(headers, noAuth)), Is.Not.Null, "manage and secrets change headers and auth");
        });
    }

    private async Task<string> SessionAsync(Tenant tenant, string body)
    {
        var created = await (await tenant.Http.PostJsonAsync("/v1/portal/sessions", body)).OkAsync(HttpStatusCode.Created);
        using var client = Host.Client();
        var exchanged = await client.PostAsync("/portal/exchange", Support.Json.Body(new { token = PortalBrowser.Token(created) }));
        Assert.That(exchanged.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var cookie = exchanged.Headers.GetValues("Set-Cookie").Single();
        return cookie[(PortalAuthenticationHandler.CookieName.Length + 1)..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>Sends <paramref name="message"/> as the portal session holding <paramref name="cookie"/>, through the service's own pipeline.</summary>
    private async Task<object?> SendAsync(string cookie, object message)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Cookie = $"{PortalAuthenticationHandler.CookieName}={cookie}";
        var authenticated = await context.AuthenticateAsync(PortalAuthenticationHandler.SchemeName);
        Assert.That(authenticated.Succeeded, Is.True, "the cookie opens the session");
        context.User = authenticated.Principal!;
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(message);
    }

    /// <summary>Refused by the pipeline with one of the two exceptions answered 403.</summary>
    private async Task RefusedAsync(string cookie, object message, string why)
    {
        var refusal = Assert.ThrowsAsync(Is.InstanceOf<Exception>(), async () => await SendAsync(cookie, message), why);
        Assert.That(refusal, Is.InstanceOf<MissingScopeException>().Or.InstanceOf<MissingCapabilityException>(), why);
    }
}
