using System.Net;
using System.Net.Sockets;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// A loopback TCP relay to a server; stopping it makes the server unreachable, as an outage would. It counts the bytes the
/// server sends, so a test can see how much a request made its clients read.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly string _targetHost;
    private readonly int _targetPort;
    private Task _accepting = Task.CompletedTask;
    private long _bytesFromServer;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Bytes relayed from the server to its clients so far.</summary>
    public long BytesFromServer => Interlocked.Read(ref _bytesFromServer);

    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public void Stop()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var outbound = new TcpClient();
            await outbound.ConnectAsync(_targetHost, _targetPort);
            lock (_clients)
            {
                _clients.Add(inbound);
                _clients.Add(outbound);
            }

            _ = PumpAsync(inbound.GetStream(), outbound.GetStream(), fromServer: false);
            _ = PumpAsync(outbound.GetStream(), inbound.GetStream(), fromServer: true);
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool fromServer)
    {
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                if (fromServer)
                {
                    Interlocked.Add(ref _bytesFromServer, read);
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The relay was stopped or a side hung up.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        await _accepting;
        _stop.Dispose();
    }
}
