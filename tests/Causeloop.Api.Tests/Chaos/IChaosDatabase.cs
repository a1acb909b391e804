namespace Causeloop.Api.Tests.Chaos;

/// <summary>What a scenario's service connects to: one cluster, a pooler in front of it, or a failover formation.</summary>
public interface IChaosDatabase : IAsyncDisposable
{
    /// <summary>The connection string that reaches the database that takes writes (the primary, directly).</summary>
    string ConnectionString { get; }

    /// <summary>The connection string the services get (by default <see cref="ConnectionString"/>).</summary>
    string ServiceConnectionString => ConnectionString;

    /// <summary>Runs SQL as the superuser on a connection of its own (not pooled, so it never takes the service's slots).</summary>
    Task<T> ScalarAsync<T>(string sql);
}
