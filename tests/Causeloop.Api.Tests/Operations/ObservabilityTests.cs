using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Causeloop.Api.Tests.Inbound;
using Causeloop.Api.Tests.Outbound;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Causeloop.Api.Tests.Operations;

/// <summary>§13: /metrics has the named series and they move with traffic; no label holds an id, a URL or a secret; an attempt's span links to the request that made its event, and the receiver gets its traceparent.</summary>
public sealed partial class ObservabilityTests : ApiTest
{
    private readonly List<Activity> _spans = [];

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Causeloop:Metrics:SampleInterval"] = "00:00:00.200",
        ["Causeloop:Delivery:RetryDelays:0"] = "00:10:00",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));

    [Test]
    public async Task Metrics_expose_the_named_series_and_they_move_with_traffic()
    {
        var tenant = await Host.NewTenantAsync();
        await using var ok = await Receiver.StartAsync();
        await using var failing = await Receiver.StartAsync();
        failing.Respond = (_, _) => Task.FromResult(Results.StatusCode(500));
        await tenant.SubscribeAsync(ok, """["sync.completed"]""");
        await tenant.SubscribeAsync(failing, """["sync.completed"]""");
        var inbound = await SignedSource.CreateAsync(Host, tenant);
        using var source = Host.Client();
        var before = await ScrapeAsync(source);

        await SignedSource.AcceptedAsync(await inbound.SendAsync(source, """{"metric":1}"""));
        await (await inbound.SendAsync(source, """{"metric":2}""", secret: "whsec_wrong")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{}}""")).OkAsync(HttpStatusCode.Accepted);

        // Each attempt is counted after its answer came back, so a receiver having the request proves nothing yet: wait
        // for both attempts' counts, and for the failed delivery to show as waiting for its retry.
        const string success = "outcome=\"success\"", httpError = "outcome=\"http_error\"";
        Dictionary<string, double> after = [];
        await Eventually.HoldsAsync(async () =>
        {
            after = await ScrapeAsync(source);
            return Value(after, "causeloop_delivery_attempts_total", success) > Value(before, "causeloop_delivery_attempts_total", success)
                && Value(after, "causeloop_delivery_attempts_total", httpError) > Value(before, "causeloop_delivery_attempts_total", httpError)
                && Value(after, "causeloop_deliveries_pending", "") >= 1;
        }, "the successful and the failed attempt are counted and the failed delivery waits for a retry",
            details: () => $"attempts: success {Value(after, "causeloop_delivery_attempts_total", success)}, http_error {Value(after, "causeloop_delivery_attempts_total", httpError)}"
                + $" (before: {Value(before, "causeloop_delivery_attempts_total", success)}, {Value(before, "causeloop_delivery_attempts_total", httpError)}); pending {Value(after, "causeloop_deliveries_pending", "")}");

        Assert.Multiple(() =>
        {
            Assert.That(Value(after, "causeloop_inbound_requests_total", "kind=\"custom\",outcome=\"accepted\""),
                Is.GreaterThan(Value(before, "causeloop_inbound_requests_total", "kind=\"custom\",outcome=\"accepted\"")));
            Assert.That(Value(after, "causeloop_inbound_requests_total", "kind=\"custom\",outcome=\"rejected\""),
                Is.GreaterThan(Value(before, "causeloop_inbound_requests_total", "kind=\"custom\",outcome=\"rejected\"")));
            Assert.That(Value(after, "causeloop_delivery_attempt_duration_seconds_count", ""),
                Is.GreaterThanOrEqualTo(Value(before, "causeloop_delivery_attempt_duration_seconds_count", "") + 2));
            Assert.That(after.Keys, Has.Some.StartWith("causeloop_delivery_oldest_pending_age_seconds"));
            Assert.That(after.Keys, Has.Some.StartWith("causeloop_outbox_lag_seconds"));
            Assert.That(after.Keys, Has.Some.StartWith("http_server_request_duration_seconds"), "ASP.NET Core's own");
            Assert.That(after.Keys, Has.Some.StartWith("dotnet_"), "the runtime's own");
        });
    }

    [Test]
    public async Task No_label_holds_an_id_a_url_or_a_secret()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        var (webhookId, _) = await tenant.SubscribeAsync(receiver, """["sync.completed"]""");
        await (await tenant.Http.GetAsync($"/v1/webhooks/{webhookId}")).OkAsync();
        using var client = Host.Client();
        var before = await ScrapeAsync(client);
        await (await tenant.Http.PostJsonAsync("/v1/events", """{"type":"sync.completed","data":{}}""")).OkAsync(HttpStatusCode.Accepted);

        // The labels are looked at once the attempt has been counted: the series it adds are there to be seen.
        const string success = "outcome=\"success\"";
        var text = "";
        await Eventually.HoldsAsync(async () =>
        {
            text = await client.GetStringAsync("/metrics");
            return Value(Parse(text), "causeloop_delivery_attempts_total", success) > Value(before, "causeloop_delivery_attempts_total", success);
        }, "the attempt is counted");
        var values = LabelValue().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(values, Has.None.Match("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"), "no id");
            Assert.That(values, Has.None.Contain("://"), "no URL");
            Assert.That(text.Split('\n').Where(l => !l.StartsWith('#')), Has.None.StartWith("http_client_"), "no HttpClient metrics: they would label series with customers' hosts");
            Assert.That(values, Has.None.Contain("whsec_").And.None.Contain("cl_"), "no secret or key");
        });
    }

    [Test]
    public async Task An_attempt_span_links_to_the_inbound_request_and_the_receiver_gets_its_traceparent()
    {
        var tenant = await Host.NewTenantAsync();
        await using var receiver = await Receiver.StartAsync();
        await tenant.SubscribeAsync(receiver, """["issue.ingested"]""");
        var inbound = await SignedSource.CreateAsync(Host, tenant);
        var traceId = ActivityTraceId.CreateRandom();
        // A client that sends our traceparent as it is (in this process the service's tracer also listens to HttpClient,
        // which would otherwise start a trace of its own for the test's request).
        using var source = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = Host.BaseAddress };
        source.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        await SignedSource.AcceptedAsync(await inbound.SendAsync(source, """{"traced":true}"""));

        var delivered = (await receiver.WaitForAsync(1))[0];
        var traceparent = delivered.Header("traceparent");
        var attemptTrace = traceparent.Split('-')[1];
        Activity? attempt = null;
        await Eventually.HoldsAsync(() =>
        {
            lock (_spans)
            {
                attempt = _spans.FirstOrDefault(s => s.Source.Name == "Causeloop.Delivery" && s.TraceId.ToString() == attemptTrace);
            }

            return Task.FromResult(attempt is not null);
        }, "the attempt's span is exported");
        Assert.Multiple(() =>
        {
            Assert.That(attempt!.Links.Select(l => l.Context.TraceId), Does.Contain(traceId), "linked to the request that created its event");
            Assert.That(attempt.DisplayName, Is.EqualTo("deliver issue.ingested"));
            Assert.That(attemptTrace, Is.Not.EqualTo(traceId.ToString()), "its own trace, linked rather than parented");
        });
    }

    private static async Task<Dictionary<string, double>> ScrapeAsync(HttpClient client) => Parse(await client.GetStringAsync("/metrics"));

    private static Dictionary<string, double> Parse(string text)
    {
        var series = new Dictionary<string, double>();
        foreach (var line in text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var cut = line.LastIndexOf(' ');
            if (double.TryParse(line[(cut + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                series[line[..cut]] = value;
            }
        }

        return series;
    }

    /// <summary>The sum of a metric's series whose labels contain <paramref name="labels"/>.</summary>
    private static double Value(Dictionary<string, double> series, string name, string labels) =>
        series.Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)) && s.Key.Contains(labels, StringComparison.Ordinal)).Sum(s => s.Value);

    [GeneratedRegex("=\"([^\"]*)\"")]
    private static partial Regex LabelValue();
}

public sealed class MetricsOffTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Causeloop:Metrics:Enabled"] = "false" };

    [Test]
    public async Task Metrics_can_be_turned_off()
    {
        using var client = Host.Client();
        Assert.That((await client.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}

/// <summary>OTLP export as every OpenTelemetry SDK configures it: OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL.</summary>
public sealed class OtlpExportTests
{
    [Test]
    public async Task Traces_and_metrics_go_to_the_otlp_endpoint_when_it_is_set()
    {
        var received = new ConcurrentBag<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var collector = builder.Build();
        collector.MapPost("/{**path}", (HttpContext context) =>
        {
            received.Add(context.Request.Path);
            return Results.Ok();
        });
        await collector.StartAsync();
        var endpoint = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var database = await TestPostgres.CreateDatabaseAsync();
        var host = await ServiceHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        try
        {
            var tenant = await host.NewTenantAsync();
            await (await tenant.Http.GetAsync("/v1/webhooks")).OkAsync();
            await Eventually.HoldsAsync(() => Task.FromResult(received.Contains("/v1/traces") && received.Contains("/v1/metrics")),
                "the collector received traces and metrics", details: () => string.Join(", ", received.Distinct()));
        }
        finally
        {
            await host.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(database);
        }
    }
}
