using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Causeloop.Api.Tests.Chaos;

/// <summary>How a chaos receiver answers.</summary>
public enum ReceiverMode
{
    /// <summary>204 at once.</summary>
    Fast,

    /// <summary>204 after <see cref="ChaosReceiver.Delay"/>.</summary>
    Slow,

    /// <summary>Never answers (until the caller gives up).</summary>
    Hang,

    /// <summary>200 headers at once, then one byte of body every two seconds, for a minute.</summary>
    Drip,
}

/// <summary>
/// A customer's endpoint for the fault suite: a real Kestrel server on 127.0.0.1 that counts what it received per
/// event, and the most requests it had under way at once (overall and for one delivery).
/// </summary>
public sealed class ChaosReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _answered = new();
    private readonly ConcurrentDictionary<string, int> _underWayPerDelivery = new();
    private readonly ConcurrentDictionary<string, long> _firstArrival = new();
    private readonly ConcurrentDictionary<string, long> _firstAnswered = new();
    private readonly ConcurrentQueue<long> _arrivals = new();
    private int _underWay;
    private int _received;

    private ChaosReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public ReceiverMode Mode { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Above 0: every n-th request is answered 500 (the delivery is retried).</summary>
    public int FailEvery { get; set; }

    public int Received => Volatile.Read(ref _received);

    /// <summary>Event ids answered 2xx, each with how many times.</summary>
    public IReadOnlyDictionary<string, int> Answered => _answered;

    public int MostUnderWay { get; private set; }

    /// <summary>The most requests of one delivery under way at once (above 1: the same delivery was sent twice in parallel).</summary>
    public int MostUnderWayForOneDelivery { get; private set; }

    public int Duplicates => _answered.Values.Sum() - _answered.Count;

    /// <summary>Per event id, when its first request arrived (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public IReadOnlyDictionary<string, long> FirstArrival => _firstArrival;

    /// <summary>Per event id, when its first 2xx answer was given (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public IReadOnlyDictionary<string, long> FirstAnswered => _firstAnswered;

    /// <summary>When each request arrived (<see cref="System.Diagnostics.Stopwatch"/> timestamps), in arrival order.</summary>
    public IReadOnlyCollection<long> Arrivals => _arrivals;

    public static async Task<ChaosReceiver> StartAsync(ReceiverMode mode = ReceiverMode.Fast)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new ChaosReceiver(app) { Mode = mode };
        app.Map("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address + "/hooks");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = System.Diagnostics.Stopwatch.GetTimestamp();
        var number = Interlocked.Increment(ref _received);
        var eventId = context.Request.Headers["x-causeloop-event-id"].ToString();
        _arrivals.Enqueue(arrived);
        _firstArrival.TryAdd(eventId, arrived);
        var deliveryId = context.Request.Headers["x-causeloop-delivery-id"].ToString();
        var underWay = Interlocked.Increment(ref _underWay);
        var forDelivery = _underWayPerDelivery.AddOrUpdate(deliveryId, 1, (_, n) => n + 1);
        lock (_answered)
        {
            MostUnderWay = Math.Max(MostUnderWay, underWay);
            MostUnderWayForOneDelivery = Math.Max(MostUnderWayForOneDelivery, forDelivery);
        }

        try
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            switch (Mode)
            {
                case ReceiverMode.Slow:
                    await Task.Delay(Delay, context.RequestAborted);
                    break;
                case ReceiverMode.Hang:
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    break;
                case ReceiverMode.Drip:
                    context.Response.StatusCode = 200;
                    await context.Response.StartAsync(context.RequestAborted);

                    // The status is the answer (the service counts it); the body then drips.
                    _answered.AddOrUpdate(eventId, 1, (_, n) => n + 1);
                    for (var i = 0; i < 30; i++)
                    {
                        await context.Response.Body.WriteAsync("x"u8.ToArray(), context.RequestAborted);
                        await context.Response.Body.FlushAsync(context.RequestAborted);
                        await Task.Delay(TimeSpan.FromSeconds(2), context.RequestAborted);
                    }

                    return;
            }

            if (FailEvery > 0 && number % FailEvery == 0)
            {
                context.Response.StatusCode = 500;
                return;
            }

            _firstAnswered.TryAdd(eventId, System.Diagnostics.Stopwatch.GetTimestamp());
            context.Response.StatusCode = 204;
            await context.Response.CompleteAsync();
            _answered.AddOrUpdate(eventId, 1, (_, n) => n + 1);
        }
        catch (OperationCanceledException)
        {
            // The service gave up on the attempt (its deadline) or was killed.
        }
        finally
        {
            Interlocked.Decrement(ref _underWay);
            _underWayPerDelivery.AddOrUpdate(deliveryId, 0, (_, n) => n - 1);
        }
    }
}
