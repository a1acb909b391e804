namespace Causeloop.Infrastructure.Outbound;

/// <summary>What a failed outbound request tells the tenant in the attempt's error: the kind of failure, never an internal address.</summary>
public static class OutboundErrors
{
    public static string Describe(HttpRequestException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is OutboundAddressRefusedException refused)
            {
                return refused.Message;
            }

            if (inner is EgressProxyException proxy)
            {
                return $"could not connect: {proxy.Message}";
            }
        }

        var reason = e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "could not resolve the host",
            HttpRequestError.ConnectionError => "could not connect",
            HttpRequestError.SecureConnectionError => "TLS handshake failed",
            HttpRequestError.ResponseEnded => "the connection closed before a response",
            _ => "request failed",
        };
        return $"{reason}: {e.InnerException?.Message ?? e.Message}";
    }
}
