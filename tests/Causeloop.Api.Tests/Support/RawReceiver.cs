using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// An endpoint that answers every request with fixed raw bytes, whatever HTTP allows (a NUL in the status line, a broken
/// header), so tests can see what the service makes of answers no HTTP server library would send.
/// </summary>
public sealed class RawReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _answer;
    private readonly Task _accepting;
    private int _received;

    private RawReceiver(string answer)
    {
        _answer = Encoding.Latin1.GetBytes(answer);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hooks");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    /// <summary>Requests whose headers arrived.</summary>
    public int Received => Volatile.Read(ref _received);

    public static RawReceiver Answering(string answer) => new(answer);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[64 * 1024];
                var seen = 0;
                // Read up to the end of the headers (the body is small and follows in the same packets, or is ignored).
                while (seen < buffer.Length)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(seen), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    seen += read;
                    if (buffer.AsSpan(0, seen).IndexOf("\r\n\r\n"u8) >= 0)
                    {
                        break;
                    }
                }

                Interlocked.Increment(ref _received);
                await stream.WriteAsync(_answer, _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client went away.
            }
        }
    }
}
