using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Deliveries.Recover;

/// <summary>
/// A fresh delivery to the webhook of every event created in <c>[since, until)</c> (of <see cref="EventTypes"/> only, when
/// given) whose delivery to it ended <c>dead</c> and that has no delivery to it under way or succeeded since (so a second
/// call does not resend what a first one recovered). Answers how many. A <see cref="DryRun"/> creates nothing and answers
/// how many a real run would create, with a sample of them (SPEC §18).
/// </summary>
public sealed record RecoverWebhookCommand(Guid WebhookId, DateTime? Since, DateTime? Until, IReadOnlyList<string>? EventTypes = null, bool DryRun = false)
    : ICommand<RecoverResult>, IRequireScope, IRequirePortalCapability
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Manage;
}
