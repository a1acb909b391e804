using System.Net;
using Causeloop.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>Secret rotation against a fake clock: both secrets verify during the overlap, only the new one after.</summary>
public sealed class InboundRotationTests : ApiTest
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Test]
    public async Task After_rotation_both_secrets_verify_for_24_hours_then_only_the_new_one()
    {
        var endpoint = await SignedSource.CreateAsync(Host);
        using var source = Host.Client();
        var rotated = await (await endpoint.Tenant.Http.PostAsync($"/v1/webhooks/{endpoint.WebhookId}/rotate-secret", null)).OkAsync();
        var newSecret = rotated["signing_secret"]!.GetValue<string>();

        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, "{\"n\":1}", secret: endpoint.Secret));
        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, "{\"n\":2}", secret: newSecret));

        _clock.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59));
        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, "{\"n\":3}", secret: endpoint.Secret));

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That((await endpoint.SendAsync(source, "{\"n\":4}", secret: endpoint.Secret)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await SignedSource.AcceptedAsync(await endpoint.SendAsync(source, "{\"n\":5}", secret: newSecret));
    }
}
