using System.Text.Json;
using Causeloop.Domain.Webhooks.Filters;

namespace Causeloop.Domain.Tests;

/// <summary>§16's filter language: what matches, and what is refused with where.</summary>
public sealed class PayloadFilterTests
{
    private const string Envelope = """
        {"id":"0196f1a2-7c3d-7e4f-8a5b-6c7d8e9f0a1b","type":"order.created","created_at":"2026-12-06T12:00:00Z",
         "data":{"order":{"total":120.5,"currency":"EUR","express":true,"note":null,"id":"42"},
                 "items":[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1}],"tags":["vip","eu"]}}
        """;

    private static bool Matches(string filter)
    {
        using var f = JsonDocument.Parse(filter);
        var parsed = PayloadFilter.Parse(f.RootElement, out var error) ?? throw new AssertionException(error!);
        using var e = JsonDocument.Parse(Envelope);
        return parsed.Matches(e.RootElement);
    }

    private static string? Refusal(string filter)
    {
        using var f = JsonDocument.Parse(filter);
        return PayloadFilter.Parse(f.RootElement, out var error) is null ? error : null;
    }

    [TestCase("""{"type":"order.created"}""", true)]
    [TestCase("""{"data.order.currency":"EUR"}""", true)]
    [TestCase("""{"data.order.currency":"USD"}""", false)]
    [TestCase("""{"data.order.id":42}""", false)] // typed: the number 42 is not the string "42"
    [TestCase("""{"data.order.id":"42"}""", true)]
    [TestCase("""{"data.order.total":120.50}""", true)]
    [TestCase("""{"data.order.express":true}""", true)]
    [TestCase("""{"data.order.note":null}""", true)]
    [TestCase("""{"data.order.missing":null}""", false)] // missing is not null
    [TestCase("""{"data.items.sku":"B-7"}""", true)] // any element of an array on the path
    [TestCase("""{"data.tags":"eu"}""", true)] // any element of an array found
    [TestCase("""{"data.tags":["vip","eu"]}""", true)] // or the array itself
    [TestCase("""{"data.order.total":{"$gt":100}}""", true)]
    [TestCase("""{"data.order.total":{"$gte":120.5,"$lt":121}}""", true)]
    [TestCase("""{"data.order.total":{"$lte":100}}""", false)]
    [TestCase("""{"data.order.currency":{"$gt":1}}""", false)] // a string is never ordered against a number
    [TestCase("""{"data.items.qty":{"$gte":2}}""", true)]
    [TestCase("""{"data.order.currency":{"$in":["EUR","GBP"]}}""", true)]
    [TestCase("""{"data.order.currency":{"$nin":["EUR","GBP"]}}""", false)]
    [TestCase("""{"data.order.coupon":{"$nin":["X"]}}""", true)] // nothing at the path equals
    [TestCase("""{"data.order.currency":{"$neq":"USD"}}""", true)]
    [TestCase("""{"data.tags":{"$neq":"vip"}}""", false)] // $neq: no value at the path equals
    [TestCase("""{"data.order.note":{"$exist":true}}""", true)] // null is a value
    [TestCase("""{"data.order.coupon":{"$exist":false}}""", true)]
    [TestCase("""{"data.order.currency":{"$eq":"EUR"},"type":"order.created"}""", true)]
    [TestCase("""{"$or":[{"data.order.currency":"USD"},{"data.tags":"vip"}]}""", true)]
    [TestCase("""{"$and":[{"data.order.currency":"EUR"},{"data.order.total":{"$lt":100}}]}""", false)]
    [TestCase("""{"data.order":{"total":120.5,"currency":"EUR","express":true,"note":null,"id":"42"}}""", true)] // object equality, any order
    public void A_filter_matches_the_envelope_as_the_language_says(string filter, bool expected) =>
        Assert.That(Matches(filter), Is.EqualTo(expected), filter);

    [TestCase("""[]""", "filter: a filter is a JSON object")]
    [TestCase("""{}""", "filter: a filter needs at least one condition")]
    [TestCase("""{"data.x":{"$regex":"a"}}""", "filter.data.x.$regex: unknown operator $regex")]
    [TestCase("""{"$not":[{"a":1}]}""", "filter.$not: unknown operator $not")]
    [TestCase("""{"data.x":{"$gt":"5"}}""", "filter.data.x.$gt: $gt takes a number")]
    [TestCase("""{"data.x":{"$in":"a"}}""", "filter.data.x.$in: $in takes a list of values")]
    [TestCase("""{"data.x":{"$exist":1}}""", "filter.data.x.$exist: $exist takes true or false")]
    [TestCase("""{"data..x":1}""", "filter.data..x: a path is dot-separated names")]
    [TestCase("""{"data.x":{"$eq":1,"y":2}}""", "filter.data.x: an operator object holds only operators")]
    [TestCase("""{"$or":[{"a":1},{"$and":"no"}]}""", "filter.$or[1].$and: $and takes a non-empty list of filters")]
    public void A_filter_that_is_not_in_the_language_is_refused_saying_what_and_where(string filter, string message) =>
        Assert.That(Refusal(filter), Does.StartWith(message));

    [Test]
    public void Filters_are_bounded_in_depth_conditions_and_size()
    {
        var depth6 = """{"$or":[{"$or":[{"$or":[{"$or":[{"$or":[{"a":1}]}]}]}]}]}""";
        var depth5 = """{"$or":[{"$or":[{"$or":[{"$or":[{"a":1}]}]}]}]}""";
        var conditions51 = "{" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"data.f{i}\":{i}")) + "}";
        var conditions50 = "{" + string.Join(",", Enumerable.Range(0, 50).Select(i => $"\"data.f{i}\":{i}")) + "}";
        var big = $$"""{"data.x":"{{new string('x', 4100)}}"}""";
        Assert.Multiple(() =>
        {
            Assert.That(Refusal(depth6), Does.Contain("nest at most 5"));
            Assert.That(Refusal(depth5), Is.Null);
            Assert.That(Refusal(conditions51), Does.Contain("at most 50 conditions"));
            Assert.That(Refusal(conditions50), Is.Null);
            Assert.That(Refusal(big), Does.Contain("at most 4 KiB (4096 bytes)"));
        });
    }

    [Test]
    public void A_filter_is_stored_as_compact_json_and_reads_back_the_same()
    {
        using var f = JsonDocument.Parse("""{ "data.order.total" : { "$gt" : 100 } }""");
        var parsed = PayloadFilter.Parse(f.RootElement, out _)!;
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Json, Is.EqualTo("""{"data.order.total":{"$gt":100}}"""));
            Assert.That(PayloadFilter.FromStored(parsed.Json).Json, Is.EqualTo(parsed.Json));
        });
    }
}
