using Causeloop.Application.Portal;
using Causeloop.Application.Portal.ListPortalConnectors;
using Mediator;

namespace Causeloop.Api.Pages.Portal;

public sealed class ConnectorsModel(ISender sender) : PortalPageModel(sender)
{
    public IReadOnlyList<PortalConnectorSummary> Connectors { get; private set; } = [];

    /// <summary>The session covers no connector (it lists only webhooks, or its key could not read connectors).</summary>
    public bool CoversNone => ConnectorIds is { Count: 0 };

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!CoversNone)
        {
            Connectors = await Sender.Send(new ListPortalConnectorsQuery(ConnectorIds), cancellationToken);
        }
    }
}
