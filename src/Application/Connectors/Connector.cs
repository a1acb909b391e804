namespace Causeloop.Application.Connectors;

public sealed record Connector(Guid Id, Guid WorkspaceId, string Name, string Kind, DateTime CreatedAt);
