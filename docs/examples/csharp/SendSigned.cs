// Send a signed event to a Causeloop inbound endpoint (.NET 8+, no packages).
// The test suite compiles this file and runs it against the service, so it stays correct.
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Causeloop.Examples;

public static class SendSigned
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string inboundUrl, string signingSecret, string json, string? eventId = null)
    {
        // Serialise once, sign those exact bytes, send those exact bytes.
        byte[] body = Encoding.UTF8.GetBytes(json);

        // The key is the UTF-8 bytes of the whole secret string, "whsec_" included.
        string signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), body));

        using var request = new HttpRequestMessage(HttpMethod.Post, inboundUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-causeloop-signature", signature);
        if (eventId is not null)
        {
            request.Headers.Add("x-causeloop-event-id", eventId); // lets Causeloop drop a retried duplicate
        }

        return await http.SendAsync(request);
    }
}
