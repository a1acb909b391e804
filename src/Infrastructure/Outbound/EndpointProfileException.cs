namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// A webhook's headers or auth cannot be used to send (its stored secret cannot be read, or its certificate no longer
/// loads). The message is the attempt's recorded error: the attempt fails, is retried on the schedule, then is dead.
/// </summary>
public sealed class EndpointProfileException : Exception
{
    public EndpointProfileException(string message)
        : base(message)
    {
    }

    public EndpointProfileException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public EndpointProfileException()
        : base("not sent: the webhook's headers or auth cannot be used")
    {
    }
}
