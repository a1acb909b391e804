using Causeloop.Application.Common;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Causeloop.Api.Hosting;

/// <summary>
/// OpenTelemetry (§13): metrics — the service's own (<see cref="CauseloopTelemetry"/>), ASP.NET Core's and the
/// runtime's — scraped at <c>/metrics</c> (Prometheus format; off with <c>Causeloop:Metrics:Enabled=false</c>); traces —
/// ASP.NET Core, HttpClient, Npgsql and one span per delivery attempt. Both are exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, configured by the standard <c>OTEL_*</c> variables. HttpClient and Npgsql
/// feed traces only: their metrics would label series with customers' hosts and connection details.
/// </summary>
public static class Observability
{
    public const string MetricsPath = "/metrics";

    public static void AddCauseloopObservability(this WebApplicationBuilder builder, CauseloopOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var telemetry = builder.Services.AddOpenTelemetry()
            // No generated instance id: target_info would carry a random GUID as a label.
            .ConfigureResource(resource => resource.AddService(
                builder.Configuration["OTEL_SERVICE_NAME"] ?? "causeloop", serviceInstanceId: Environment.MachineName, autoGenerateServiceInstanceId: false))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CauseloopTelemetry.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation();
                if (options.Metrics.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(CauseloopTelemetry.DeliverySourceName)
                .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = context =>
                    !context.Request.Path.StartsWithSegments(MetricsPath) && !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }

    public static void MapCauseloopMetrics(this WebApplication app, CauseloopOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Metrics.Enabled)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        }
    }
}
