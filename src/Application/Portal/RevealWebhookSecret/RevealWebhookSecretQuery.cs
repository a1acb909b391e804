using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Portal.RevealWebhookSecret;

/// <summary>
/// The webhook's current signing secret, decrypted (the portal's <c>Reveal secret</c>); changes nothing. Showing a secret
/// is as much as rotating it (which shows the new one), so it needs what rotating needs: webhooks:admin and, for a portal
/// session, the <c>secrets</c> capability. It reads the primary: after a rotation it shows the new secret, never the old one
/// from a lagging replica.
/// </summary>
public sealed record RevealWebhookSecretQuery(Guid WebhookId) : IQuery<string>, IRequireScope, IRequirePortalCapability, IReadsLatest
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Secrets;
}
