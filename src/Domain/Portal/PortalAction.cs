namespace Causeloop.Domain.Portal;

/// <summary>The portal's actions, each a button with exactly the text of <see cref="PortalActions.Label"/>.</summary>
public enum PortalAction
{
    Redeliver,
    SendTestEvent,
    Recover,
    Disable,
    Enable,
    RotateSecret,
    RevealSecret,
    UseOAuth2,
    UseClientCertificate,
    RemoveAuthentication,
    SaveHeaders,
    AddEndpoint,
    Edit,
    Delete,
    SendExampleEvent,
}
