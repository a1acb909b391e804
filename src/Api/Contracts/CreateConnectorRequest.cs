namespace Causeloop.Api.Contracts;

public sealed record CreateConnectorRequest(string? Name, string? Kind);
