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
using Causeloop.Infrastructure.Delivery;
using Causeloop.Infrastructure.Persistence;
using FluentValidation;
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

    /// <summary>Builds the web application; <paramref name="configure"/> lets tests override configuration and services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is where the service's files are, not the caller's working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        var options = builder.Configuration.GetSection(CauseloopOptions.Section).Get<CauseloopOptions>() ?? new CauseloopOptions();
        builder.Services.Configure<CauseloopOptions>(builder.Configuration.GetSection(CauseloopOptions.Section));
        var connectionString = ConnectionString(builder.Configuration);
        var secretsKey = SecretsKeyLoader.Load(options, builder.Environment);

        builder.Services.TryAddSingletonTimeProvider();
        builder.Services.AddHostedService<MigrationHostedService>();
        var groupCommit = builder.Configuration.GetSection(GroupCommitOptions.Section).Get<GroupCommitOptions>() ?? new GroupCommitOptions();
        var retention = builder.Configuration.GetSection(Causeloop.Infrastructure.Retention.RetentionOptions.Section).Get<Causeloop.Infrastructure.Retention.RetentionOptions>()
            ?? new Causeloop.Infrastructure.Retention.RetentionOptions();
        builder.Services.AddCauseloopInfrastructure(new InfrastructureOptions(connectionString, secretsKey)
        {
            EndpointCacheTtl = options.Inbound.EndpointCacheTtl,
            GroupCommit = groupCommit,
            Retention = retention,
            QueueGaugeInterval = options.Metrics.SampleInterval > TimeSpan.Zero ? options.Metrics.SampleInterval : TimeSpan.FromSeconds(5),
        });
        builder.Services.AddSingleton(new WebhookSettings(options.Webhooks.SecretOverlap));
        builder.Services.AddSingleton(new InboundSettings(options.Inbound.TimestampTolerance, options.Inbound.MaxBodyBytes));
        var delivery = builder.Configuration.GetSection(DeliveryOptions.Section).Get<DeliveryOptions>() ?? new DeliveryOptions();
        var outbound = builder.Configuration.GetSection(OutboundOptions.Section).Get<OutboundOptions>() ?? new OutboundOptions();
        Validate(options, delivery, groupCommit);
        if (retention.Period < TimeSpan.Zero || retention.Interval <= TimeSpan.Zero || retention.BatchSize < 1)
        {
            throw new StartupException("Invalid configuration: Causeloop:Retention:Period must not be negative (0 keeps everything), Interval must be positive and BatchSize at least 1.");
        }
        builder.Services.AddCauseloopDelivery(delivery, outbound.AllowPrivateNetworks ?? builder.Environment.IsDevelopment());
        // Attempts under way at shutdown are allowed to finish.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = delivery.AttemptTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(new InboundBodyReads(options.Inbound.MaxConcurrentBodyReads));
        builder.Services.AddSingleton<IInboundAdmission, InboundAdmission>();
        builder.Services.AddScoped<IPortalUrls, Causeloop.Api.Auth.PortalUrls>();
        builder.Services.AddRazorPages();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ICurrentCaller, HttpCurrentCaller>();
        builder.Services.AddScoped<IInboundUrls, InboundUrls>();
        builder.Services.AddValidatorsFromAssemblyContaining<ISystemMessage>(ServiceLifetime.Singleton);

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

        builder.AddCauseloopObservability(options);
        builder.Services.AddHealthChecks().AddNpgSql(sp => sp.GetRequiredService<NpgsqlDataSource>(), name: "postgres", tags: ["ready"]);
        builder.Services.AddOpenApi(openApi =>
        {
            openApi.AddDocumentTransformer<BearerSecurityTransformer>();
            openApi.AddDocumentTransformer<DocumentInfoTransformer>();
            openApi.AddOperationTransformer<OperationIdTransformer>();
            openApi.AddOperationTransformer<ExamplesTransformer>();
            openApi.AddSchemaTransformer<ConnectorKindSchemaTransformer>();
            openApi.AddSchemaTransformer<PatchFieldSchemaTransformer>();
            openApi.AddSchemaTransformer<ProblemDetailsSchemaTransformer>();
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseMiddleware<Causeloop.Api.Portal.PortalSecurityHeaders>();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapControllers();
        app.MapRazorPages();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/scalar", scalar => scalar
            .WithTitle(DocumentInfoTransformer.Title)
            .AddPreferredSecuritySchemes("bearer")
            .AddHttpAuthentication("bearer", auth => auth.Token = string.Empty));
        app.MapCauseloopMetrics(app.Services.GetRequiredService<IOptions<CauseloopOptions>>().Value);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    /// <summary>Settings that cannot work stop the start with a message naming them.</summary>
    private static void Validate(CauseloopOptions options, DeliveryOptions delivery, GroupCommitOptions groupCommit)
    {
        var problems = new List<string>();
        if (groupCommit.Writers < 1 || groupCommit.MaxBatch < 1)
        {
            problems.Add("Causeloop:GroupCommit:Writers and MaxBatch must be at least 1");
        }

        if (options.Inbound.MaxConcurrentBodyReads < 1 || options.Inbound.BodyReadTimeout <= TimeSpan.Zero)
        {
            problems.Add("Causeloop:Inbound:MaxConcurrentBodyReads must be at least 1 and BodyReadTimeout positive");
        }

        if (options.Inbound.EndpointCacheTtl < TimeSpan.Zero || options.Inbound.EndpointCacheTtl > TimeSpan.FromSeconds(1))
        {
            problems.Add("Causeloop:Inbound:EndpointCacheTtl must be between 0 and 1 s (a disabled connector must stop being accepted within 1 s)");
        }

        if (options.Inbound.TimestampTolerance <= TimeSpan.Zero)
        {
            problems.Add("Causeloop:Inbound:TimestampTolerance must be positive");
        }

        if (options.Webhooks.SecretOverlap < TimeSpan.Zero)
        {
            problems.Add("Causeloop:Webhooks:SecretOverlap must not be negative");
        }

        if (options.Inbound.MaxBodyBytes < 1 || options.Inbound.RateLimitPerSecond < 1
            || options.Inbound.RejectedPerAddressPerSecond < 1 || options.Inbound.RejectedPerSecond < 1)
        {
            problems.Add("Causeloop:Inbound:MaxBodyBytes, RateLimitPerSecond, RejectedPerAddressPerSecond and RejectedPerSecond must be at least 1");
        }

        if (delivery.MaxConcurrency < 1 || delivery.PerEndpointConcurrency < 1 || delivery.BatchSize < 1)
        {
            problems.Add("Causeloop:Delivery:MaxConcurrency, PerEndpointConcurrency and BatchSize must be at least 1");
        }

        if (delivery.AttemptTimeout <= TimeSpan.Zero || delivery.PollInterval <= TimeSpan.Zero)
        {
            problems.Add("Causeloop:Delivery:AttemptTimeout and PollInterval must be positive");
        }

        if (delivery.LeaseMargin < TimeSpan.FromSeconds(1))
        {
            problems.Add("Causeloop:Delivery:LeaseMargin must be at least 1 s (the lease must outlast the attempt and its recording, or a delivery could be sent twice at once)");
        }

        if (delivery.MaxPerEndpointConcurrency < delivery.PerEndpointConcurrency)
        {
            problems.Add("Causeloop:Delivery:MaxPerEndpointConcurrency must be at least PerEndpointConcurrency");
        }

        if (delivery.RetryDelays?.Any(d => d < TimeSpan.Zero) == true || delivery.RetryJitter is < 0 or >= 1)
        {
            problems.Add("Causeloop:Delivery:RetryDelays must not be negative and RetryJitter must be in [0, 1)");
        }

        if (problems.Count > 0)
        {
            throw new StartupException("Invalid configuration: " + string.Join("; ", problems) + ".");
        }
    }

    public static void ConfigureJson(JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DictionaryKeyPolicy = null;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // {"url":"a","url":"b"} is ambiguous: refused (400), never "last one wins".
        json.AllowDuplicateProperties = false;
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
