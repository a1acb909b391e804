namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// The token endpoint of an oauth2_client_credentials webhook gave no usable token. The message, which starts with
/// <c>token endpoint:</c>, is the attempt's recorded error; it never holds the client secret or a token.
/// </summary>
public sealed class TokenEndpointException : Exception
{
    public TokenEndpointException(string message)
        : base(message.StartsWith(Prefix, StringComparison.Ordinal) ? message : Prefix + message)
    {
    }

    public TokenEndpointException(string message, Exception inner)
        : base(message.StartsWith(Prefix, StringComparison.Ordinal) ? message : Prefix + message, inner)
    {
    }

    public TokenEndpointException()
        : base(Prefix + "no token")
    {
    }

    private const string Prefix = "token endpoint: ";
}
