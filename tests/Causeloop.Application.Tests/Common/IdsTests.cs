using Causeloop.Application.Common;
using Microsoft.Extensions.Time.Testing;

namespace Causeloop.Application.Tests.Common;

/// <summary>Lists page by id, newest first: ids must sort in the order they were made, as Postgres compares uuids.</summary>
public sealed class IdsTests
{
    [Test]
    public void Ids_made_in_one_millisecond_sort_in_the_order_they_were_made_even_past_the_counter()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var ids = Enumerable.Range(0, 10_000).Select(_ => Ids.New(clock).ToString()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(ids.Distinct().Count(), Is.EqualTo(ids.Count));
            Assert.That(ids.Select(id => id[14]), Has.All.EqualTo('7'), "version 7");
            Assert.That(ids.Select(id => id[19]), Has.All.AnyOf('8', '9', 'a', 'b'), "RFC 9562 variant");
        });
    }

    [Test]
    public void An_id_carries_its_millisecond_and_a_clock_that_steps_back_does_not_reorder_ids()
    {
        var at = new DateTimeOffset(2300, 6, 1, 12, 0, 0, 123, TimeSpan.Zero);
        var clock = new FakeTimeProvider(at);

        var first = Ids.New(clock);
        var second = Ids.New(new FakeTimeProvider(at.AddHours(-1)));

        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToInt64(first.ToString("N")[..12], 16), Is.EqualTo(at.ToUnixTimeMilliseconds()));
            Assert.That(StringComparer.Ordinal.Compare(second.ToString(), first.ToString()), Is.Positive);
        });
    }
}
