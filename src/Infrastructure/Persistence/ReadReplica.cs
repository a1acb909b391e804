using Npgsql;

namespace Causeloop.Infrastructure.Persistence;

/// <summary>
/// The read-only data source of queries (<c>ConnectionStrings:CauseloopReadOnly</c>: a streaming standby, or several with
/// <c>Target Session Attributes=prefer-standby</c>), or none. Only <see cref="DbSession"/> uses it, for a query's reads.
/// </summary>
public sealed class ReadReplica(NpgsqlDataSource? dataSource) : IDisposable
{
    public NpgsqlDataSource? DataSource { get; } = dataSource;

    public void Dispose() => DataSource?.Dispose();
}
