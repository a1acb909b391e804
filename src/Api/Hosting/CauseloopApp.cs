using Causeloop.Application.Deliveries.Pipeline;
using System.Text.Json;
using System.Text.Json.Serialization;
using Causeloop.Api.Auth;
using Causeloop.Api.Contracts;
using Causeloop.Api.Controllers;
using Causeloop.Api.ErrorHandling;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Behaviors;
using Causeloop.Infrastructure;
using Causeloop.Application;
using Causeloop.Infrastructure.Observability;
using Causeloop.Infrastructure.Outbound;
using Causeloop.Infrastructure.Persistence.GroupCommit;
using Causeloop.Infrastructure.Retention;
using Causeloop.Infrastructure.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;
using Scalar.AspNetCore;

namespace Causeloop.Api.Hosting;

/// <summary>The composition root: everything <c>Program</c> and the tests start.</summary>
public static class CauseloopApp
{
    public static string ConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration.GetConnectionString("Causeloop");
        return string.IsNullOrWhiteSpace(value)
            ? throw new StartupException("ConnectionStrings:Causeloop is not set (environment: ConnectionStrings__Causeloop).")
            : value;
    }

    /// <summary>The read replica's connection string for queries (<c>ConnectionStrings:CauseloopReadOnly</c>), or null.</summary>
    public static string? ReadOnlyConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("CauseloopReadOnly") is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Builds the web application; <paramref name="configure"/> lets tests override configuration and services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is where the service's files are, not the caller's working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        // Read at build time only what decides the service graph: the connection string, the secrets key (which must exist
        // before any secret is read) and whether this instance runs the worker. Every section is bound below with the
        // options pattern and validated when the host starts.
        var startup = builder.Configuration.GetSection(CauseloopOptions.Section).Get<CauseloopOptions>() ?? new CauseloopOptions();
        var connectionString = ConnectionString(builder.Configuration);
        var secretsKey = SecretsKeyLoader.Load(startup, builder.Environment);
        var runWorker = builder.Configuration.GetValue<bool?>($"{DeliveryOptions.Section}:{nameof(DeliveryOptions.Enabled)}") ?? true;

        builder.Services.AddValidatedOptions<CauseloopOptions>(CauseloopOptions.Section, o => o.Problems());
        builder.Services.AddValidatedOptions<DeliveryOptions>(DeliveryOptions.Section, o => o.Problems());
        builder.Services.AddValidatedOptions<GroupCommitOptions>(GroupCommitOptions.Section, o => o.Problems());
        builder.Services.AddValidatedOptions<RetentionOptions>(RetentionOptions.Section, o => o.Problems());
        builder.Services.AddValidatedOptions<OutboundOptions>(OutboundOptions.Section, o => o.Problems());
        builder.Services.AddValidatedOptions<QueueGaugeOptions>(QueueGaugeOptions.Section, o => o.Problems());
        builder.Services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.Section, o => o.Problems());
        // Behind a transaction pooler the worker cannot LISTEN: it polls more often unless told how often.
        var pollIntervalSet = builder.Configuration[$"{DeliveryOptions.Section}:{nameof(DeliveryOptions.PollInterval)}"] is not null;
        builder.Services.AddOptions<DeliveryOptions>().PostConfigure<IOptions<DatabaseOptions>>((delivery, database) =>
        {
            if (database.Value.PoolsTransactions && !pollIntervalSet)
            {
                delivery.PollInterval = DatabaseOptions.TransactionPoolingPollInterval;
            }
        });
        var development = builder.Environment.IsDevelopment();
        builder.Services.PostConfigure<OutboundOptions>(o => o.AllowPrivateNetworks ??= development);
        builder.Services.AddSingleton(sp => new WebhookSettings(Settings(sp).Webhooks.SecretOverlap));
        builder.Services.AddSingleton(sp => new Causeloop.Domain.Portal.ManualChangeLimit(Settings(sp).Portal.ManualChangeLimit, Settings(sp).Portal.ManualChangeWindow));
        builder.Services.AddSingleton(sp => Settings(sp).Inbound switch
        {
            var inbound => new InboundSettings(inbound.TimestampTolerance, inbound.MaxBodyBytes, inbound.EndpointCacheTtl),
        });
        // Attempts under way at shutdown are allowed to finish.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<DeliveryOptions>>(
            (host, delivery) => host.ShutdownTimeout = delivery.Value.AttemptTimeout + delivery.Value.DrainMargin + delivery.Value.DrainMargin);

        builder.Services.TryAddSingletonTimeProvider();
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.Services.AddApplication();
        builder.Services.AddCauseloopInfrastructure(new InfrastructureOptions(connectionString, secretsKey, ReadOnlyConnectionString(builder.Configuration)));
        builder.Services.AddCauseloopDelivery(runWorker);
        builder.Services.AddSingleton(sp => new InboundBodyReads(Settings(sp).Inbound.MaxConcurrentBodyReads, Settings(sp).Inbound.MaxConcurrentBodyReadsPerAddress));
        builder.Services.AddSingleton<IInboundAdmission, InboundAdmission>();
        var behindProxies = TrustedProxies.Configure(builder.Services, startup.ForwardedHeaders);
        builder.Services.AddScoped<IPortalUrls, Causeloop.Api.Auth.PortalUrls>();
        builder.Services.AddRazorPages();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ICurrentCaller, HttpCurrentCaller>();
        builder.Services.AddScoped<IInboundUrls, InboundUrls>();

        builder.Services.AddMediator((Mediator.MediatorOptions o) =>
        {
            o.ServiceLifetime = ServiceLifetime.Scoped;
            o.Assemblies = [typeof(ISystemMessage)];
            o.PipelineBehaviors =
            [
                typeof(LoggingBehavior<,>),
                typeof(ScopeAuthorizationBehavior<,>),
                typeof(ValidationBehavior<,>),
                typeof(TransactionBehavior<,>),
            ];
        });

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, Causeloop.Api.Portal.PortalAuthenticationHandler>(
                Causeloop.Api.Portal.PortalAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();

        builder.Services.AddControllers(mvc => mvc.ModelBinderProviders.Insert(0, new StrictIntegerModelBinderProvider()))
            .AddApplicationPart(typeof(CauseloopApp).Assembly)
            .AddJsonOptions(json => ConfigureJson(json.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(api => api.InvalidModelStateResponseFactory = ModelStateProblems.Create);
        builder.Services.ConfigureHttpJsonOptions(json => ConfigureJson(json.SerializerOptions));
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Routes that match nothing (including ids that are not UUIDs) get the API's own 404 problem.
            if (context.ProblemDetails.Status == StatusCodes.Status404NotFound && context.Exception is null)
            {
                context.ProblemDetails.Type = ProblemTypes.NotFound;
                context.ProblemDetails.Detail ??= "No resource at this address.";
            }
        });
        builder.Services.AddExceptionHandler<CauseloopExceptionHandler>();

        builder.AddCauseloopObservability(startup);
        builder.Services.AddHealthChecks().AddCheck<WritableDatabaseHealthCheck>("postgres", tags: ["ready"]);
        builder.Services.AddOpenApi(openApi =>
        {
            openApi.AddDocumentTransformer<BearerSecurityTransformer>();
            openApi.AddDocumentTransformer<DocumentInfoTransformer>();
            openApi.AddOperationTransformer<OperationIdTransformer>();
            openApi.AddOperationTransformer<ExamplesTransformer>();
            openApi.AddSchemaTransformer<ConnectorKindSchemaTransformer>();
            openApi.AddSchemaTransformer<EventCauseSchemaTransformer>();
            openApi.AddSchemaTransformer<PatchFieldSchemaTransformer>();
            openApi.AddSchemaTransformer<JsonObjectSchemaTransformer>();
            openApi.AddSchemaTransformer<PolymorphicSchemaTransformer>();
            openApi.AddSchemaTransformer<ProblemDetailsSchemaTransformer>();
        });

        var app = builder.Build();
        if (behindProxies)
        {
            // First: every later step (links, the portal cookie's Secure flag, source addresses) sees the client's view.
            app.UseForwardedHeaders();
        }

        app.UseExceptionHandler();
        app.UseMiddleware<Causeloop.Api.Portal.PortalSecurityHeaders>();
        app.UseStatusCodePages();
        // Inside it: a portal request answered with a bare error status gets the portal's status page (a Razor page in
        // the portal's layout), with its status code and headers kept; everything else keeps its problem details.
        app.UseWhen(Causeloop.Api.Pages.Portal.StatusModel.Answers,
            portal => portal.UseStatusCodePagesWithReExecute(Causeloop.Api.Pages.Portal.StatusModel.Path));
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapControllers();
        app.MapRazorPages();
        app.MapOpenApi("/openapi/{documentName}.json");
        // The reference as a customer sees it: Causeloop's API, not Scalar's own buttons (its developer toolbar with deploy
        // and SDK offers, its AI chat, its MCP link).
        app.MapScalarApiReference("/scalar", scalar => scalar
            .WithTitle(DocumentInfoTransformer.Title)
            .HideDeveloperTools()
            .DisableAgent()
            .DisableMcp()
            .AddPreferredSecuritySchemes("bearer")
            .AddHttpAuthentication("bearer", auth => auth.Token = string.Empty));
        app.MapCauseloopMetrics(Settings(app.Services));
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    private static CauseloopOptions Settings(IServiceProvider services) => services.GetRequiredService<IOptions<CauseloopOptions>>().Value;

    public static void ConfigureJson(JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DictionaryKeyPolicy = null;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // {"url":"a","url":"b"} is ambiguous: refused (400), never "last one wins".
        json.AllowDuplicateProperties = false;
        // A polymorphic object's "type" (webhook auth) may come anywhere among its fields, as a user writes it.
        json.AllowOutOfOrderMetadataProperties = true;
        json.Converters.Add(new PatchFieldJsonConverterFactory());
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
