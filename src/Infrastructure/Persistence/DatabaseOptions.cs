namespace Causeloop.Infrastructure.Persistence;

/// <summary><c>Causeloop:Database</c>: how the service may use its database connections (ADR 0011).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Causeloop:Database";

    /// <summary>Each connection is a server session of its own: straight to Postgres, or through a pooler in session mode.</summary>
    public const string SessionPooling = "session";

    /// <summary>Behind PgBouncer in transaction pooling mode: consecutive transactions of one connection may run on different server sessions.</summary>
    public const string TransactionPooling = "transaction";

    /// <summary>How often the worker looks for work behind a transaction pooler, where it cannot LISTEN, unless <c>Causeloop:Delivery:PollInterval</c> is set.</summary>
    public static readonly TimeSpan TransactionPoolingPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// <c>session</c> (default) or <c>transaction</c>. With <c>transaction</c> the service relies on no session state: no
    /// LISTEN (the worker polls, and this instance's own commits wake it), no session advisory locks, no server-side prepared
    /// statements, no session settings.
    /// </summary>
    public string Pooling { get; set; } = SessionPooling;

    public bool PoolsTransactions => string.Equals(Pooling, TransactionPooling, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<string> Problems()
    {
        if (!PoolsTransactions && !string.Equals(Pooling, SessionPooling, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Causeloop:Database:Pooling must be '{SessionPooling}' or '{TransactionPooling}'";
        }
    }
}
