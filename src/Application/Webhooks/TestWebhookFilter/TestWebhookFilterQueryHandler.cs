using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Events;
using Causeloop.Domain.Webhooks;
using Causeloop.Domain.Webhooks.Filters;
using Mediator;

namespace Causeloop.Application.Webhooks.TestWebhookFilter;

public sealed class TestWebhookFilterQueryHandler(ICurrentCaller caller, IWebhookReadStore webhooks, TimeProvider time)
    : IQueryHandler<TestWebhookFilterQuery, FilterTestResult>
{
    public async ValueTask<FilterTestResult> Handle(TestWebhookFilterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var webhook = await webhooks.GetAsync(caller.WorkspaceId, query.Id, cancellationToken) ?? throw new NotFoundException("webhook");
        if (webhook.Direction != WebhookDirection.Outbound)
        {
            throw new ConflictException("Only outbound webhooks have a payload filter.");
        }

        if (webhook.Filter is null)
        {
            return new FilterTestResult(true);
        }

        // The same envelope a published event carries, so paths such as "type" and "data.x" mean what they will mean.
        var body = EventEnvelope.Serialize(Ids.New(time), query.Type!, time.GetUtcNow(), query.Data!.Value);
        using var envelope = JsonDocument.Parse(body);
        return new FilterTestResult(PayloadFilter.FromStored(webhook.Filter).Matches(envelope.RootElement));
    }
}
