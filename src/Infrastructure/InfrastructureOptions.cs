namespace Causeloop.Infrastructure;

/// <summary>
/// What Infrastructure needs that is not an options section of its own: the connection string, the read replica's if any
/// (<c>ConnectionStrings:CauseloopReadOnly</c>, for queries) and the secrets key (read and checked by the host). Its sections (<c>Causeloop:GroupCommit</c>, <c>Retention</c>, <c>Outbound</c>,
/// <c>Metrics</c>) are bound by the host with the options pattern and validated at start.
/// </summary>
public sealed record InfrastructureOptions(string ConnectionString, byte[] SecretsKey, string? ReadOnlyConnectionString = null);
