using Causeloop.Application.Abstractions;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Connectors;
using Causeloop.Infrastructure.Delivery;
using Causeloop.Infrastructure.Inbound;
using Causeloop.Infrastructure.Outbox;
using Causeloop.Infrastructure.Persistence;
using Causeloop.Infrastructure.Security;
using Causeloop.Infrastructure.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Npgsql;

namespace Causeloop.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddCauseloopInfrastructure(this IServiceCollection services, InfrastructureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DapperSetup.Configure();
        services.AddSingleton(_ => DataSourceFactory.Builder(options.ConnectionString).Build());
        services.AddSingleton(_ => new RederivableWork(options.ConnectionString));
        services.AddSingleton<ISecretProtector>(new AesGcmSecretProtector(options.SecretsKey));
        services.AddSingleton<ApiKeyStore>();

        services.AddScoped<DbSession>();
        services.AddScoped<IUnitOfWork>(sp => sp.GetRequiredService<DbSession>());
        services.AddScoped<IWebhookRepository, WebhookRepository>();
        services.AddScoped<IWebhookReadStore, WebhookReadStore>();
        services.AddScoped<IConnectorRepository, ConnectorRepository>();
        services.AddScoped<IConnectorReadStore, ConnectorReadStore>();
        services.AddScoped<IInboundStore, InboundStore>();
        services.AddScoped<IPortalSessions, Portal.PortalSessionStore>();
        services.AddScoped<IPortalReadStore, Portal.PortalReadStore>();
        services.AddHostedService(sp => new Observability.QueueGauges(
            sp.GetRequiredService<RederivableWork>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Observability.QueueGauges>>(), options.QueueGaugeInterval));
        services.AddSingleton(options.Retention);
        services.AddSingleton<Retention.RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<Retention.RetentionJob>());
        services.AddSingleton<RejectionLogWriter>();
        services.AddSingleton<IRejectionLog>(sp => sp.GetRequiredService<RejectionLogWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<RejectionLogWriter>());
        services.AddSingleton<IInboundEndpoints>(sp => new InboundEndpointCache(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>(), options.EndpointCacheTtl));
        services.AddSingleton<WorkSignal>();
        services.AddSingleton(options.GroupCommit);
        services.AddSingleton<GroupCommitWriter>();
        services.AddSingleton<IEventWriter>(sp => sp.GetRequiredService<GroupCommitWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        services.AddScoped<IOutbox, PostgresOutbox>();
        services.AddScoped<IDeliveryStore, DeliveryStore>();
        return services;
    }

    /// <summary>The outbound HTTP client (SSRF guard, no redirects, timeout and circuit breaker per endpoint) and, when enabled, the worker.</summary>
    public static IServiceCollection AddCauseloopDelivery(this IServiceCollection services, DeliveryOptions delivery, bool allowPrivateNetworks)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        services.AddSingleton(Options.Create(delivery));
        services.AddSingleton(delivery);
        services.AddSingleton<DeliveryWorkStore>();
        // TryAdd: a host (or a test) may put its own port in front, e.g. a decorator.
        services.TryAddSingleton<IDeliveryWorkStore>(sp => sp.GetRequiredService<DeliveryWorkStore>());
        services.AddSingleton<SignedHttpSender>();
        services.TryAddSingleton<IAttemptSender>(sp => sp.GetRequiredService<SignedHttpSender>());
        services.AddSingleton<FanOutEvents>();
        services.AddSingleton<ClaimDueDeliveries>();
        services.AddSingleton<RecordAttempts>();
        services.AddSingleton<DeliveryPipeline>();
        services.AddHttpClient(SignedHttpSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => GuardedConnector.CreateHandler(allowPrivateNetworks))
            .AddResilienceHandler("outbound", pipeline =>
            {
                // No retries here: the persisted schedule retries. No circuit breaker either: one keyed by host made one
                // tenant's failing endpoint fail every tenant posting to that host, and spent their retries unsent.
                // A failing endpoint is held back per webhook instead: its adaptive concurrency halves down to one
                // attempt at a time (ClaimDueDeliveries), and its retries follow the schedule.
                pipeline.AddTimeout(delivery.AttemptTimeout);
            });

        if (delivery.Enabled)
        {
            services.AddHostedService<DeliveryWorker>();
        }

        return services;
    }
}
