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
}
