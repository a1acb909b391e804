using Causeloop.Application.Connectors;
using Causeloop.Application.Connectors.ListConnectorEvents;
using Causeloop.Application.Connectors.ListConnectorRejections;
using Causeloop.Application.Connectors.ListConnectors;
using Causeloop.Application.Inbound;
using Mediator;

namespace Causeloop.Api.Pages.Portal;

public sealed class ConnectorsModel(ISender sender) : PortalPageModel(sender)
{
    public sealed record ConnectorView(ConnectorDto Connector, IReadOnlyList<InboundEventDto> Events, IReadOnlyList<InboundRejectionDto> Rejections);

    public IReadOnlyList<ConnectorView> Connectors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (ConnectorIds is { Count: 0 })
        {
            return; // the session covers no connector
        }

        var connectors = await Sender.Send(new ListConnectorsQuery(100, null), cancellationToken);
        var views = new List<ConnectorView>();
        foreach (var connector in connectors.Data.Where(c => CoversConnector(c.Id)))
        {
            var events = await Sender.Send(new ListConnectorEventsQuery(connector.Id, 10, null), cancellationToken);
            var rejections = await Sender.Send(new ListConnectorRejectionsQuery(connector.Id), cancellationToken);
            views.Add(new ConnectorView(connector, events.Data, [.. rejections.Data.Take(20)]));
        }

        Connectors = views;
    }
}
