using Causeloop.Domain.Access;

namespace Causeloop.Domain.Tests;

public sealed class ScopeTests
{
    [TestCase("webhooks:admin", "webhooks:read", true)]
    [TestCase("webhooks:admin", "webhooks:admin", true)]
    [TestCase("webhooks:read", "webhooks:read", true)]
    [TestCase("webhooks:read", "webhooks:admin", false)]
    [TestCase("connectors:admin", "connectors:read", true)]
    [TestCase("connectors:admin", "webhooks:read", false)]
    [TestCase("webhooks:admin", "connectors:read", false)]
    [TestCase("events:write", "events:write", true)]
    [TestCase("events:write", "webhooks:read", false)]
    public void Admin_implies_read_of_the_same_resource_only(string held, string needed, bool permitted)
    {
        var set = new ScopeSet([Scope.Parse(held)]);
        Assert.That(set.Permits(Scope.Parse(needed)), Is.EqualTo(permitted));
    }

    [Test]
    public void An_empty_scope_set_permits_nothing()
    {
        Assert.That(Scope.All.Any(ScopeSet.Empty.Permits), Is.False);
    }

    [Test]
    public void Parsing_reports_unknown_scopes_and_keeps_known_ones()
    {
        var set = ScopeSet.Parse(["webhooks:read", " events:write ", "webhooks:write", "root"], out var unknown);
        Assert.Multiple(() =>
        {
            Assert.That(set.Scopes.Select(s => s.Value), Is.EquivalentTo(new[] { "webhooks:read", "events:write" }));
            Assert.That(unknown, Is.EquivalentTo(new[] { "webhooks:write", "root" }));
        });
    }

    [Test]
    public void The_catalog_of_scopes_is_the_one_in_the_spec()
    {
        Assert.That(Scope.All.Select(s => s.Value), Is.EquivalentTo(new[]
        {
            "webhooks:read", "webhooks:admin", "connectors:read", "connectors:admin", "events:write",
        }));
    }

    [TestCase("webhooks:read", null, true)]
    [TestCase("webhooks:admin", null, false)]
    [TestCase("webhooks:admin", "manage", true)]
    [TestCase("webhooks:admin", "secrets", false)]
    public void A_portal_session_beyond_reading_sends_only_what_names_a_capability_it_holds(string needed, string? capability, bool permitted)
    {
        var portal = ScopeSet.ForPortal([Scope.WebhooksAdmin], ["read", "manage"]);
        Assert.That(portal.Permits(Scope.Parse(needed), capability), Is.EqualTo(permitted));
    }

    [TestCase(null)]
    [TestCase("secrets")]
    public void An_api_key_is_decided_by_its_scopes_alone(string? capability)
    {
        var key = new ScopeSet([Scope.WebhooksAdmin]);
        Assert.Multiple(() =>
        {
            Assert.That(key.Permits(Scope.WebhooksAdmin, capability), Is.True);
            Assert.That(key.Permits(Scope.ConnectorsRead, capability), Is.False);
        });
    }

    [Test]
    public void A_capability_never_stands_in_for_a_missing_scope()
    {
        var portal = ScopeSet.ForPortal([Scope.WebhooksRead], ["read", "manage", "secrets"]);
        Assert.That(portal.Permits(Scope.WebhooksAdmin, "secrets"), Is.False);
    }
}
