using Causeloop.Application.Abstractions;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Connectors;
using Causeloop.Infrastructure.Deliveries;
using Causeloop.Infrastructure.Inbound;
using Causeloop.Infrastructure.Outbound;
using Causeloop.Infrastructure.Outbox;
using Causeloop.Infrastructure.Persistence;
using Causeloop.Infrastructure.Persistence.GroupCommit;
using Causeloop.Infrastructure.Security;
using Causeloop.Infrastructure.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Causeloop.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// The ports over Postgres, the group-commit writer and the background jobs. Their options (<c>Causeloop:Database</c>, <c>GroupCommit</c>,
    /// <c>Retention</c>, <c>Metrics</c>) are bound by the host.
    /// </summary>
    public static IServiceCollection AddCauseloopInfrastructure(this IServiceCollection services, InfrastructureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DapperSetup.Configure();
        services.AddSingleton(sp => DataSourceFactory.Builder(options.ConnectionString, Database(sp)).Build());
        services.AddSingleton(sp => new RederivableWork(options.ConnectionString, Database(sp)));
        services.AddSingleton(sp => new ReadReplica(
            options.ReadOnlyConnectionString is { } readOnly ? DataSourceFactory.Builder(readOnly, Database(sp)).Build() : null));
        services.AddSingleton<ISecretProtector>(new AesGcmSecretProtector(options.SecretsKey));
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<ApiKeyStore>();
        services.AddHostedService<ApiKeyChangeListener>();

        services.AddScoped<DbSession>();
        services.AddScoped<IUnitOfWork>(sp => sp.GetRequiredService<DbSession>());
        services.AddScoped<IWebhookRepository, WebhookRepository>();
        services.AddScoped<IWebhookReadStore, WebhookReadStore>();
        services.AddScoped<IConnectorRepository, ConnectorRepository>();
        services.AddScoped<IConnectorReadStore, ConnectorReadStore>();
        services.AddScoped<IInboundStore, InboundStore>();
        services.AddScoped<IPortalSessions, Portal.PortalSessionStore>();
        services.AddScoped<IPortalReadStore, Portal.PortalReadStore>();
        services.AddScoped<IOutbox, PostgresOutbox>();
        services.AddScoped<IDeliveryStore, DeliveryStore>();
        services.AddScoped<IEventReadStore, Events.EventReadStore>();

        services.AddSingleton<IInboundEndpoints, InboundEndpointCache>();
        services.AddScoped<IPortalStateChanges, Portal.PortalStateChangeStore>();
        services.AddSingleton<RejectionLogWriter>();
        services.AddSingleton<IRejectionLog>(sp => sp.GetRequiredService<RejectionLogWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<RejectionLogWriter>());
        services.AddSingleton<GroupCommitWriter>();
        services.AddSingleton<IEventWriter>(sp => sp.GetRequiredService<GroupCommitWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        services.AddSingleton<Retention.RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<Retention.RetentionJob>());
        services.AddHostedService<Observability.QueueGauges>();
        return services;
    }

    private static DatabaseOptions Database(IServiceProvider services) => services.GetRequiredService<IOptions<DatabaseOptions>>().Value;

    /// <summary>
    /// The delivery pipeline's ports (SQL and HTTP: SSRF guard, no redirects, one deadline per attempt) and, when
    /// <paramref name="runWorker"/>, the worker that runs it. <c>Causeloop:Delivery</c> and <c>Outbound</c> are bound by the host.
    /// </summary>
    public static IServiceCollection AddCauseloopDelivery(this IServiceCollection services, bool runWorker)
    {
        // TryAdd: a host (or a test) may put its own port in front, e.g. a decorator.
        services.AddSingleton<FanOutStore>();
        services.TryAddSingleton<IFanOutStore>(sp => sp.GetRequiredService<FanOutStore>());
        services.AddSingleton<ClaimStore>();
        services.TryAddSingleton<IClaimStore>(sp => sp.GetRequiredService<ClaimStore>());
        services.AddSingleton<AttemptStore>();
        services.TryAddSingleton<IAttemptStore>(sp => sp.GetRequiredService<AttemptStore>());
        services.AddSingleton<OutboundNetwork>();
        services.AddSingleton<EndpointProfiles>();
        services.AddSingleton<SignedHttpSender>();
        services.TryAddSingleton<IAttemptSender>(sp => sp.GetRequiredService<SignedHttpSender>());
        // Deliveries and token requests: the SSRF guard, the egress proxy and the extra roots (mtls webhooks get a handler
        // of their own from the same GuardedConnector, in EndpointProfiles).
        services.AddHttpClient(SignedHttpSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => GuardedConnector.CreateHandler(sp.GetRequiredService<OutboundNetwork>()))
            // Header values (a bearer token, a customer's static header, a token request's Basic credentials) never reach
            // a log, whatever the default of the day (.NET 9 redacts all; said here, not assumed).
            .RedactLoggedHeaders(_ => true)
            .AddResilienceHandler("outbound", (pipeline, context) =>
            {
                // No retries here: the persisted schedule retries. No circuit breaker either: one keyed by host made one
                // tenant's failing endpoint fail every tenant posting to that host, and spent their retries unsent.
                // A failing endpoint is held back per webhook instead: its adaptive concurrency halves down to one
                // attempt at a time (ClaimDueDeliveries), and its retries follow the schedule.
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<DeliveryOptions>>().Value.AttemptTimeout);
            });

        if (runWorker)
        {
            services.AddHostedService<DeliveryWorker>();
        }

        return services;
    }
}
