namespace Causeloop.Application.Connectors;

public sealed record ConnectorDto(Guid Id, string Name, string Kind, DateTime CreatedAt)
{
    public static ConnectorDto From(Connector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        return new ConnectorDto(connector.Id, connector.Name, connector.Kind, connector.CreatedAt);
    }
}
