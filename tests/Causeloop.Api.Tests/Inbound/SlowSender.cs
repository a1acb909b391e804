using System.Net;
using System.Net.Sockets;
using System.Text;
using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests.Inbound;

/// <summary>
/// A raw connection that sends an inbound request's head and the first bytes of a large declared body, then holds
/// the rest back, as a sender trickling its body would. Optionally from another loopback address (127.0.0.2, …)
/// or with the test's source-address header (<see cref="SourceAddressHeader"/>).
/// </summary>
public sealed class SlowSender : IDisposable
{
    private readonly TcpClient _tcp;
    private Task<string?>? _answer;

    private SlowSender(TcpClient tcp) => _tcp = tcp;

    public static async Task<SlowSender> StartAsync(
        ServiceHost host, string connectorId, IPAddress? from = null, string? sourceHeader = null, int declaredLength = 100_000, string firstBytes = "{")
    {
        ArgumentNullException.ThrowIfNull(host);
        var tcp = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));
        await tcp.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        var head = new StringBuilder()
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"POST /v1/webhooks/inbound/{connectorId} HTTP/1.1\r\nHost: x\r\n")
            .Append("Content-Type: application/json\r\nx-causeloop-signature: 00\r\n")
            .Append(sourceHeader is null ? string.Empty : $"{SourceAddressHeader.Name}: {sourceHeader}\r\n")
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Length: {declaredLength}\r\n\r\n")
            .Append(firstBytes);
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        return new SlowSender(tcp);
    }

    /// <summary>Sends more of the body.</summary>
    public async Task SendAsync(string bytes) => await _tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(bytes));

    /// <summary>The status line of the answer, or null when none came within <paramref name="wait"/> (it may still come).</summary>
    public async Task<string?> AnswerAsync(TimeSpan wait)
    {
        _answer ??= ReadStatusLineAsync();
        try
        {
            return await _answer.WaitAsync(wait);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private async Task<string?> ReadStatusLineAsync()
    {
        var buffer = new byte[256];
        try
        {
            var read = await _tcp.GetStream().ReadAsync(buffer);
            var text = Encoding.ASCII.GetString(buffer, 0, read);
            var end = text.IndexOf('\r', StringComparison.Ordinal);
            return end < 0 ? text : text[..end];
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return null;
        }
    }

    public void Dispose() => _tcp.Dispose();
}
