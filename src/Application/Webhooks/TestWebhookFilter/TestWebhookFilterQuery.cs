using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Webhooks.TestWebhookFilter;

/// <summary>
/// Whether the webhook's payload filter (SPEC §16) matches an event of <paramref name="Type"/> with <paramref name="Data"/>,
/// evaluated on the envelope the event would have; nothing is stored or sent. A webhook without a filter matches every event.
/// </summary>
public sealed record TestWebhookFilterQuery(Guid Id, string? Type, JsonElement? Data) : IQuery<FilterTestResult>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}

/// <summary>The answer of a filter test.</summary>
public sealed record FilterTestResult(bool Matches);
