using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Webhooks.ListWebhooks;

public sealed record ListWebhooksQuery(string? Direction, bool? Enabled, int? Limit, string? Cursor)
    : IQuery<Page<WebhookDto>>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}
