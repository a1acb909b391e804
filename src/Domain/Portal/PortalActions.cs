namespace Causeloop.Domain.Portal;

/// <summary>What the portal shows for each <see cref="PortalAction"/>: the exact text of its button (SPEC §12, §17, §18).</summary>
public static class PortalActions
{
    public static string Label(PortalAction action) => action switch
    {
        PortalAction.Redeliver => "Redeliver",
        PortalAction.SendTestEvent => "Send test event",
        PortalAction.Recover => "Recover",
        PortalAction.Disable => "Disable",
        PortalAction.Enable => "Enable",
        PortalAction.RotateSecret => "Rotate secret",
        PortalAction.RevealSecret => "Reveal secret",
        PortalAction.UseOAuth2 => "Use OAuth 2.0",
        PortalAction.UseClientCertificate => "Use client certificate",
        PortalAction.RemoveAuthentication => "Remove authentication",
        PortalAction.SaveHeaders => "Save headers",
        PortalAction.AddEndpoint => "Add endpoint",
        PortalAction.Edit => "Edit",
        PortalAction.Delete => "Delete",
        PortalAction.SendExampleEvent => "Send example event",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };
}
