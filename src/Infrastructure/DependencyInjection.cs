using Causeloop.Application.Abstractions;
using Causeloop.Infrastructure.Connectors;
using Causeloop.Infrastructure.Delivery;
using Causeloop.Infrastructure.Inbound;
using Causeloop.Infrastructure.Outbox;
using Causeloop.Infrastructure.Persistence;
using Causeloop.Infrastructure.Security;
using Causeloop.Infrastructure.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Causeloop.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddCauseloopInfrastructure(this IServiceCollection services, InfrastructureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DapperSetup.Configure();
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(options.ConnectionString).Build());
        services.AddSingleton<ISecretProtector>(new AesGcmSecretProtector(options.SecretsKey));
        services.AddSingleton<ApiKeyStore>();

        services.AddScoped<DbSession>();
        services.AddScoped<IUnitOfWork>(sp => sp.GetRequiredService<DbSession>());
        services.AddScoped<IWebhookRepository, WebhookRepository>();
        services.AddScoped<IWebhookReadStore, WebhookReadStore>();
        services.AddScoped<IConnectorRepository, ConnectorRepository>();
        services.AddScoped<IConnectorReadStore, ConnectorReadStore>();
        services.AddScoped<IInboundStore, InboundStore>();
        services.AddScoped<IOutbox, PostgresOutbox>();
        services.AddScoped<IDeliveryStore, DeliveryStore>();
        return services;
    }
}
