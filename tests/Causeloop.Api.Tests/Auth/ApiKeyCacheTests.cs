using Causeloop.Domain.Access;
using Causeloop.Infrastructure.Security;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Api.Tests.Auth;

/// <summary>The rules of the remembered keys: only while listening, never past a change, never longer than its age.</summary>
public sealed class ApiKeyCacheTests
{
    private static readonly ApiKeyStore.Caller Caller = new(Guid.NewGuid(), Guid.NewGuid(), ScopeSet.Parse(["webhooks:read"], out _), "cl_abc");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Test]
    public void A_key_found_while_listening_is_served_until_its_age_runs_out()
    {
        var cache = new ApiKeyCache(_clock);
        cache.SetListening(true);
        cache.Remember("h", Caller, cache.Generation);
        var fresh = cache.TryGet("h", out var served);
        _clock.Advance(ApiKeyCache.MaxAge);
        Assert.Multiple(() =>
        {
            Assert.That(fresh && served == Caller, "served from memory");
            Assert.That(cache.TryGet("h", out _), Is.False, "looked up again after MaxAge");
        });
    }

    [Test]
    public void Nothing_is_served_while_not_listening_nor_after_the_listener_stops()
    {
        var cache = new ApiKeyCache(_clock);
        cache.Remember("h", Caller, cache.Generation);
        var before = cache.TryGet("h", out _);
        cache.SetListening(true);
        cache.Remember("h", Caller, cache.Generation);
        cache.SetListening(false);
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.False, "not kept before listening");
            Assert.That(cache.TryGet("h", out _), Is.False, "forgotten when the listener stops");
        });
    }

    [Test]
    public void A_change_forgets_every_key_and_a_look_up_that_began_before_it_is_not_kept()
    {
        var cache = new ApiKeyCache(_clock);
        cache.SetListening(true);
        cache.Remember("kept", Caller, cache.Generation);
        var lookUpBegan = cache.Generation;
        cache.Clear(); // a revocation committed while "late" was being looked up
        cache.Remember("late", Caller, lookUpBegan);
        Assert.Multiple(() =>
        {
            Assert.That(cache.TryGet("kept", out _), Is.False, "a change forgets what was kept");
            Assert.That(cache.TryGet("late", out _), Is.False, "an answer read before the change may be stale");
        });
    }
}
