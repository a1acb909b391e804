using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Causeloop.Api.Tests.Inbound.ProviderSource;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// Rotating an inbound webhook's secret, for every connector kind, on a fake clock: both secrets verify until the overlap
/// ends and only the new one after it, where the old one gets the same 401 as a secret that never was. Every request is
/// signed at the fake clock's time, so a timestamped scheme is never refused as stale instead. The cases share the
/// clock, so they run one after another.
/// </summary>
public sealed class ProviderRotationTests : ApiTest
{
    /// <summary>The service's default <c>Causeloop:Webhooks:SecretOverlap</c>.</summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromHours(24);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [TestCaseSource(typeof(ProviderSource), nameof(ProviderSource.Schemes))]
    public async Task After_rotation_both_secrets_verify_until_the_overlap_ends_then_only_the_new_one(ProviderSource.Scheme scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        var tenant = await Host.NewTenantAsync();
        var (connectorId, webhook) = await tenant.Http.CreateInboundConnectorAsync(scheme.Kind, scheme.Imported ? Secret(scheme.Kind) : null);
        var oldSecret = webhook.SigningSecret();
        // Where the provider generates secrets, the new one is imported too.
        var imported = scheme.Imported ? Secret(scheme.Kind) : null;
        var rotated = await (await tenant.Http.PostJsonAsync($"/v1/webhooks/{webhook.Id()}/rotate-secret",
            imported is null ? "" : $$"""{"signing_secret":"{{imported}}"}""")).OkAsync();
        var newSecret = rotated.SigningSecret();
        using var source = Host.Client();

        await AcceptedAsync(source, scheme, connectorId, oldSecret, "the old secret, just after the rotation");
        await AcceptedAsync(source, scheme, connectorId, newSecret, "the new secret, just after the rotation");
        _clock.Advance(Overlap - TimeSpan.FromMinutes(1));
        await AcceptedAsync(source, scheme, connectorId, oldSecret, "the old secret, a minute before the overlap ends");

        _clock.Advance(TimeSpan.FromMinutes(2));
        using var late = await SendSignedAsync(source, scheme, connectorId, oldSecret);
        using var forged = await SendSignedAsync(source, scheme, connectorId, Secret(scheme.Kind));
        await AcceptedAsync(source, scheme, connectorId, newSecret, "the new secret, after the overlap");
        var lateProblem = await late.ProblemAsync(HttpStatusCode.Unauthorized);
        var forgedProblem = await forged.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(lateProblem.ToJsonString(), Is.EqualTo(forgedProblem.ToJsonString()), "the old secret gets the 401 of any forgery");

        var log = new List<string>();
        await Eventually.HoldsAsync(async () =>
        {
            log = [.. (await (await tenant.Http.GetAsync($"/v1/connectors/{connectorId}/rejections")).OkAsync())["data"]!.AsArray()
                .Select(r => r!["reason"]!.GetValue<string>())];
            return log.Count >= 2;
        }, "both rejections are logged");
        Assert.That(log, Is.EqualTo(new[] { "signature_mismatch", "signature_mismatch" }), "refused for its signature, not as stale");
    }

    private async Task AcceptedAsync(HttpClient source, ProviderSource.Scheme scheme, string connectorId, string secret, string what)
    {
        using var response = await SendSignedAsync(source, scheme, connectorId, secret);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), $"{what}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A fresh body of the case's kind, signed with <paramref name="secret"/> at the fake clock's time.</summary>
    private async Task<HttpResponseMessage> SendSignedAsync(HttpClient source, ProviderSource.Scheme scheme, string connectorId, string secret)
    {
        var now = _clock.GetUtcNow();
        var body = Body(scheme.Kind, now);
        return await SendAsync(source, connectorId, body, await SignAsync(scheme.Script, secret, body, now.ToUnixTimeSeconds()));
    }
}
