namespace Causeloop.Application.Common;

/// <summary>The service cannot take the request right now (for example it is stopping, or a commit failed); answered 503.</summary>
public sealed class UnavailableException : Exception
{
    public UnavailableException(string message)
        : base(message)
    {
    }

    public UnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
