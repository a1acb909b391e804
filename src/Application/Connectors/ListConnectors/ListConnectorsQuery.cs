using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Connectors.ListConnectors;

public sealed record ListConnectorsQuery(int? Limit, string? Cursor) : IQuery<Page<ConnectorDto>>, IRequireScope
{
    public static Scope RequiredScope => Scope.ConnectorsRead;
}
