namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// The egress proxy could not be reached, or would not open a tunnel to the vetted address. The message is what the
/// tenant reads in the attempt's error: it names neither the proxy nor the address asked for.
/// </summary>
public sealed class EgressProxyException : Exception
{
    public EgressProxyException(string message)
        : base(message)
    {
    }

    public EgressProxyException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public EgressProxyException()
        : base("the egress proxy failed")
    {
    }
}
