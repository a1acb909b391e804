using Causeloop.Domain.Portal;

namespace Causeloop.Domain.Tests;

public sealed class ManualChangeLimitTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly ManualChangeLimit Limit = new(3, TimeSpan.FromHours(1));

    [Test]
    public void Below_the_limit_a_change_is_allowed()
    {
        Assert.That(Limit.WaitBefore([Now.AddMinutes(-50), Now.AddMinutes(-1)], Now), Is.Null);
    }

    [Test]
    public void At_the_limit_the_wait_lasts_until_the_oldest_change_leaves_the_window()
    {
        Assert.That(Limit.WaitBefore([Now.AddMinutes(-1), Now.AddMinutes(-50), Now.AddMinutes(-20)], Now), Is.EqualTo(TimeSpan.FromMinutes(10)));
    }

    [Test]
    public void Changes_older_than_the_window_do_not_count()
    {
        Assert.That(Limit.WaitBefore([Now.AddMinutes(-60), Now.AddMinutes(-61), Now.AddMinutes(-2), Now.AddMinutes(-1)], Now), Is.Null);
    }

    [Test]
    public void Over_the_limit_the_wait_is_until_enough_have_left_for_one_more()
    {
        // Four changes in the window with a limit of three: one more is allowed once two have left, i.e. after the second oldest.
        Assert.That(Limit.WaitBefore([Now.AddMinutes(-55), Now.AddMinutes(-40), Now.AddMinutes(-5), Now.AddMinutes(-1)], Now), Is.EqualTo(TimeSpan.FromMinutes(20)));
    }
}
